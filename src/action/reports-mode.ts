/**
 * Modes aggregate and publish (issue 10): read the reports other jobs wrote (untrusted), write
 * one summary and the outputs, then post one sticky comment. Publish finds its pull request
 * through the API from the workflow_run event, never from the report.
 */
import * as core from '@actions/core'
import { renderComment, type RenderOptions } from '../render/comment.js'
import {
  aggregateVerdict,
  imagesOutput,
  renderAggregate,
  type ImageReport,
} from '../render/aggregate.js'
import { findReportFiles } from '../report/find-reports.js'
import { readReportFile } from '../report/read-report.js'
import { UserError, errorMessage } from '../util/errors.js'
import { acceptInImages, eventPull } from './accept.js'
import type { Inputs } from './inputs.js'
import { actionsLogger } from './logger.js'
import { SUMMARY_HINT, publishBody, trySetOutputs, tryWriteSummaryWith } from './publish.js'

export async function runReportsMode(inputs: Inputs): Promise<void> {
  const read = await core.group('Read the reports', () => readReports(inputs.reports))
  // Written before any GitHub request, and again if the PR accepts an increase.
  await writeOutcome(read, inputs, false)
  const pullNumber = once(() =>
    inputs.mode === 'publish' ? findPublishTarget(inputs) : eventPull(),
  )
  // The reports' own `acceptance` is never read (read-report.ts reads an accepted budget as the
  // failure it was): this run decides, for the PR it comments on.
  const images = await acceptInImages(read, inputs, pullNumber)
  if (images !== read) await writeOutcome(images, inputs, true)
  const verdict = aggregateVerdict(images)
  const failed = images.filter((i) => i.report.verdict === 'fail').map((i) => i.key)
  const line = `${images.length} image${images.length === 1 ? '' : 's'}: ${verdict}`
  if (failed.length > 0) core.setFailed(`${line}; over budget: ${failed.join(', ')}`)
  else if (verdict === 'warn') core.warning(line)
  else core.info(line)
  const commentKey =
    inputs.commentKey ||
    (inputs.mode === 'publish' && images.length === 1 ? images[0].key : 'aggregate')
  const body = renderer(images, inputs)({ fullReportHint: SUMMARY_HINT })
  await core.group('Comment on the pull request', () =>
    publishBody(
      body,
      { ...inputs, commentKey },
      { verdict, entries: images.flatMap((i) => i.report.entries) },
      inputs.mode === 'publish' ? pullNumber : undefined,
    ),
  )
}

/** One report published renders as measure mode renders it; several as the overview. */
function renderer(images: ImageReport[], inputs: Inputs) {
  return (options: RenderOptions) =>
    images.length === 1 && inputs.mode === 'publish'
      ? renderComment(images[0].report, options)
      : renderAggregate(images, options)
}

async function writeOutcome(images: ImageReport[], inputs: Inputs, again: boolean) {
  await core.group(again ? 'Write the summary again' : 'Write the summary', () =>
    tryWriteSummaryWith(renderer(images, inputs), again),
  )
  trySetOutputs({ verdict: aggregateVerdict(images), images: JSON.stringify(imagesOutput(images)) })
}

/** Calls `make` once, on first use; later calls get the same promise. */
function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined
  return () => (made ??= make())
}

/** Every report, or a UserError listing every one that could not be read */
async function readReports(items: string[]): Promise<ImageReport[]> {
  const files = await findReportFiles(items)
  const images: ImageReport[] = []
  const problems: string[] = []
  for (const file of files) {
    try {
      images.push({ key: file.key, report: await readReportFile(file.path) })
      core.info(`Read ${file.path} (${file.key})`)
    } catch (error) {
      problems.push(errorMessage(error))
    }
  }
  if (problems.length > 0) throw new UserError(problems.join('\n'))
  return images
}

/** The PR the workflow_run event's head belongs to, checked against the API */
async function findPublishTarget(inputs: Inputs): Promise<number | undefined> {
  const [github, { createOctokit }, found] = await Promise.all([
    import('@actions/github'),
    import('../github/octokit.js'),
    import('../github/find-pull-request.js'),
  ])
  const run = found.readTriggeringRun(github.context.payload)
  if (typeof run === 'string') {
    core.warning(`No PR comment: ${run}; the report is in the job summary`)
    return undefined
  }
  const octokit = createOctokit(inputs.githubToken, { log: actionsLogger })
  const match = await found.findPullRequest(octokit, github.context.repo, run)
  if (!match.ok) {
    core.warning(`No PR comment: ${match.reason}; the report is in the job summary`)
    return undefined
  }
  core.info(`Pull request #${match.number}: head ${run.headRepository} at ${run.headSha}`)
  return match.number
}
