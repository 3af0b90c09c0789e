import * as core from '@actions/core'
import { mkdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { renderComment, renderJobSummary } from '../render/comment.js'
import { reportFileName, toJsonReport } from '../report/json-report.js'
import type { Report } from '../report/report.js'
import { errorMessage } from '../util/errors.js'
import { VERSION } from '../version.js'
import type { CommentBehaviour } from '../github/publish-comment.js'
import type { Inputs } from './inputs.js'
import { actionsLogger } from './logger.js'

/** GitHub keeps at most 1 MiB of summary per step, counted in bytes; leave a little room. */
const SUMMARY_MAX_BYTES = 1024 * 1024 - 4096
export const SUMMARY_HINT = 'The full report is in the job summary of this run.'

/**
 * Writes the JSON report, the job summary and the outputs (all but comment-url), each on its
 * own: one that fails warns and the others are still written. Makes no GitHub request, so it
 * runs before any: no GitHub failure can take them away. `rewrite`: the report changed since
 * (an accepted increase): the summary is replaced and the outputs set again (the last wins).
 * Never throws.
 */
export async function writeReport(
  report: Report,
  inputs: Inputs,
  options: { rewrite?: boolean } = {},
): Promise<void> {
  const reportPath = await tryWriteJsonReport(report, inputs.commentKey)
  await tryWriteSummary(report, options.rewrite === true)
  trySetOutputs(reportOutputs(report, reportPath))
}

/** The sticky PR comment, then the comment-url output ('' without one). Never throws. */
export async function publishComment(report: Report, inputs: Inputs): Promise<void> {
  const body = renderComment(report, {
    fullReportHint: SUMMARY_HINT,
    repositoryUrl: repositoryUrl(),
  })
  await publishBody(body, inputs, report)
}

/**
 * `https://github.com/OWNER/REPO` from the runner's variables, for links to commits (the size
 * trend); undefined outside a runner. The renderer checks its form before linking.
 */
export function repositoryUrl(): string | undefined {
  const server = process.env.GITHUB_SERVER_URL || 'https://github.com'
  const repository = process.env.GITHUB_REPOSITORY
  return repository ? `${server.replace(/\/+$/, '')}/${repository}` : undefined
}

/**
 * A rendered body as the sticky comment (and the check run's summary), for `report` (its
 * verdict and growth decide comment-when, delete-stale and the check run's conclusion).
 * `findPullRequest` gives the PR number (publish mode asks the API); by default the event's
 * pull_request. Never throws.
 */
export async function publishBody(
  body: string,
  inputs: Inputs,
  report: Pick<Report, 'verdict' | 'entries'>,
  findPullRequest?: () => Promise<number | undefined>,
): Promise<void> {
  let url = ''
  try {
    url = await postComment(body, inputs, report, findPullRequest)
  } catch (error) {
    core.warning(`No PR comment: ${errorMessage(error)}`)
  }
  trySetOutputs({ 'comment-url': url })
}

export async function tryWriteJsonReport(report: Report, key: string): Promise<string> {
  const dir = join(process.env.RUNNER_TEMP || tmpdir(), 'image-size-gate')
  const path = join(dir, reportFileName(key))
  try {
    await mkdir(dir, { recursive: true })
    await writeFile(path, `${JSON.stringify(toJsonReport(report, VERSION), null, 2)}\n`)
  } catch (error) {
    core.warning(`Could not write the JSON report ${path}: ${errorMessage(error)}`)
    return ''
  }
  core.info(`JSON report: ${path}`)
  return path
}

/** `overwrite`: replace this step's summary (a report written again), instead of adding to it. */
async function tryWriteSummary(report: Report, overwrite: boolean): Promise<void> {
  await tryWriteSummaryWith(
    (options) => renderJobSummary(report, { ...options, repositoryUrl: repositoryUrl() }),
    overwrite,
  )
}

/** The job summary rendered to GitHub's limit; a failure warns. Never throws. */
export async function tryWriteSummaryWith(
  render: (options: { maxChars: number; measure: (body: string) => number }) => string,
  overwrite = false,
): Promise<void> {
  try {
    await core.summary
      .addRaw(render({ maxChars: SUMMARY_MAX_BYTES, measure: (body) => Buffer.byteLength(body) }))
      .write({ overwrite })
  } catch (error) {
    core.warning(`Could not write the job summary: ${errorMessage(error)}`)
  }
}

async function postComment(
  body: string,
  inputs: Inputs,
  report: Pick<Report, 'verdict' | 'entries'>,
  findPullRequest?: () => Promise<number | undefined>,
): Promise<string> {
  if (!inputs.comment && !inputs.checkRun) {
    core.info('comment is false: no PR comment')
    return ''
  }
  // Loaded on first use: Octokit is heavy, and runs without a comment never need it.
  const [github, { createOctokit }, { tryPublishComment }] = await Promise.all([
    import('@actions/github'),
    import('../github/octokit.js'),
    import('../github/publish-comment.js'),
  ])
  if (!inputs.githubToken) {
    core.warning('github-token is empty: cannot comment; the report is in the job summary')
    return ''
  }
  const number = findPullRequest
    ? await findPullRequest()
    : (github.context.payload.pull_request?.number as number | undefined)
  if (number === undefined) {
    if (!findPullRequest)
      core.info(
        `This ${github.context.eventName || 'unknown'} event is not a pull request: no PR comment, the report is in the job summary`,
      )
    return ''
  }
  const { owner, repo } = github.context.repo
  const octokit = createOctokit(inputs.githubToken, { log: actionsLogger })
  if (inputs.checkRun) {
    const payload = github.context.payload
    const headSha =
      (payload.pull_request?.head as { sha?: unknown } | undefined)?.sha ??
      (payload.workflow_run as { head_sha?: unknown } | undefined)?.head_sha
    if (typeof headSha === 'string' && headSha) {
      const { tryCreateCheckRun } = await import('../github/check-run.js')
      await tryCreateCheckRun({
        ...{ octokit, owner, repo, headSha, name: inputs.commentKey, verdict: report.verdict },
        ...{ summary: body, log: actionsLogger },
      })
    } else core.warning('No check run: the event names no head commit')
  }
  if (!inputs.comment) {
    core.info('comment is false: no PR comment')
    return ''
  }
  const result = await tryPublishComment({
    octokit,
    owner,
    repo,
    issueNumber: number,
    key: inputs.commentKey,
    body,
    log: actionsLogger,
    behaviour: commentBehaviour(report, inputs),
  })
  if (!result.ok) {
    core.warning(`No PR comment: ${result.reason}`)
    return ''
  }
  if (result.action === 'skipped' || result.action === 'deleted') return ''
  core.info(`PR comment ${result.action}: ${result.url}`)
  return result.url
}

/** comment-mode, comment-when and delete-stale for this report; undefined: the defaults. */
export function commentBehaviour(
  report: Pick<Report, 'verdict' | 'entries'>,
  inputs: Inputs,
): CommentBehaviour | undefined {
  const { commentMode: mode, commentWhen: when, deleteStale } = inputs
  if (mode === 'update' && when === 'always' && !deleteStale) return undefined
  const grew = report.entries.some((e) => (e.comparison.totals.deltaBytes ?? 0) > 0)
  return {
    ...{ mode, when, problems: report.verdict !== 'pass' },
    stale: deleteStale && report.verdict === 'pass' && !grew,
  }
}

function reportOutputs(report: Report, reportPath: string): Record<string, string> {
  const first = report.entries[0]?.comparison
  const text = (n: number | undefined) => (n === undefined ? '' : String(n))
  const percent = first?.totals.deltaPercent
  return {
    'base-size': text(first?.totals.baseBytes),
    'head-size': text(first?.totals.headBytes),
    'size-delta': text(first?.totals.deltaBytes),
    'size-delta-percent': percent === undefined ? '' : percent.toFixed(2),
    'base-compressed-size': text(first?.pull?.baseBytes),
    'head-compressed-size': text(first?.pull?.headBytes),
    'new-pull-bytes': text(first?.pull?.newBytes),
    verdict: report.verdict,
    'report-path': reportPath,
  }
}

export function trySetOutputs(outputs: Record<string, string>): void {
  try {
    for (const [name, value] of Object.entries(outputs)) core.setOutput(name, value)
  } catch (error) {
    const names = Object.keys(outputs).join(', ')
    core.warning(`Could not set the outputs (${names}): ${errorMessage(error)}`)
  }
}
