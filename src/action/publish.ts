import * as core from '@actions/core'
import { mkdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { renderComment } from '../render/comment.js'
import { toJsonReport } from '../report/json-report.js'
import type { Report } from '../report/report.js'
import { errorMessage } from '../util/errors.js'
import { VERSION } from '../version.js'
import type { Inputs } from './inputs.js'
import { actionsLogger } from './logger.js'

/** GitHub keeps at most 1 MiB of summary per step, counted in bytes; leave a little room. */
const SUMMARY_MAX_BYTES = 1024 * 1024 - 4096
const SUMMARY_HINT = 'The full report is in the job summary of this run.'

/** Writes the JSON report, the job summary, the sticky comment and the outputs. Never throws for GitHub. */
export async function publishReport(report: Report, inputs: Inputs): Promise<void> {
  const reportPath = await writeJsonReport(report, inputs.commentKey)
  await writeSummary(report)
  const commentUrl = await postComment(report, inputs)
  setOutputs(report, reportPath, commentUrl)
}

async function writeJsonReport(report: Report, key: string): Promise<string> {
  const dir = join(process.env.RUNNER_TEMP || tmpdir(), 'image-size-gate')
  await mkdir(dir, { recursive: true })
  const path = join(dir, `report-${key.replace(/[^A-Za-z0-9._-]+/g, '_')}.json`)
  await writeFile(path, `${JSON.stringify(toJsonReport(report, VERSION), null, 2)}\n`)
  core.info(`JSON report: ${path}`)
  return path
}

async function writeSummary(report: Report): Promise<void> {
  try {
    await core.summary
      .addRaw(
        renderComment(report, {
          maxChars: SUMMARY_MAX_BYTES,
          measure: (body) => Buffer.byteLength(body),
        }),
      )
      .write()
  } catch (error) {
    core.warning(`Could not write the job summary: ${errorMessage(error)}`)
  }
}

async function postComment(report: Report, inputs: Inputs): Promise<string> {
  // Loaded on first use: Octokit is heavy, and runs without a comment never need it.
  const [github, { createOctokit }, { tryPublishComment }] = await Promise.all([
    import('@actions/github'),
    import('../github/octokit.js'),
    import('../github/publish-comment.js'),
  ])
  const pr = github.context.payload.pull_request
  if (!inputs.comment) {
    core.info('comment is false: no PR comment')
    return ''
  }
  if (!pr) {
    core.info(
      `This ${github.context.eventName || 'unknown'} event is not a pull request: no PR comment, the report is in the job summary`,
    )
    return ''
  }
  if (!inputs.githubToken) {
    core.warning('github-token is empty: cannot comment; the report is in the job summary')
    return ''
  }
  const { owner, repo } = github.context.repo
  const result = await tryPublishComment({
    octokit: createOctokit(inputs.githubToken, { log: actionsLogger }),
    owner,
    repo,
    issueNumber: pr.number,
    key: inputs.commentKey,
    body: renderComment(report, { fullReportHint: SUMMARY_HINT }),
    log: actionsLogger,
  })
  if (!result.ok) {
    core.warning(`No PR comment: ${result.reason}`)
    return ''
  }
  core.info(`PR comment ${result.action}: ${result.url}`)
  return result.url
}

function setOutputs(report: Report, reportPath: string, commentUrl: string): void {
  const first = report.entries[0]?.comparison
  const text = (n: number | undefined) => (n === undefined ? '' : String(n))
  core.setOutput('base-size', text(first?.totals.baseBytes))
  core.setOutput('head-size', text(first?.totals.headBytes))
  core.setOutput('size-delta', text(first?.totals.deltaBytes))
  const percent = first?.totals.deltaPercent
  core.setOutput('size-delta-percent', percent === undefined ? '' : percent.toFixed(2))
  core.setOutput('base-compressed-size', text(first?.pull?.baseBytes))
  core.setOutput('head-compressed-size', text(first?.pull?.headBytes))
  core.setOutput('new-pull-bytes', text(first?.pull?.newBytes))
  core.setOutput('verdict', report.verdict)
  core.setOutput('comment-url', commentUrl)
  core.setOutput('report-path', reportPath)
}
