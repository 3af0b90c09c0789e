import { httpStatus } from './github-errors.js'
import type { GitHubClient } from './octokit.js'
import { errorMessage } from '../util/errors.js'
import type { Logger } from '../util/log.js'

/** GitHub refuses a check run output summary longer than this (characters). */
export const CHECK_SUMMARY_MAX_CHARS = 65535
const CUT_NOTE = '\n\n… (cut: the full report is in the job summary of this run)'

export interface CheckRunOptions {
  octokit: GitHubClient
  owner: string
  repo: string
  /** The PR's head commit */
  headSha: string
  /** The comment key: one check run per image */
  name: string
  verdict: 'pass' | 'warn' | 'fail'
  /** The rendered report (markdown) */
  summary: string
  log: Logger
}

const CONCLUSIONS = { pass: 'success', warn: 'neutral', fail: 'failure' } as const

/** The summary, cut to GitHub's limit with a note saying so. */
export function checkRunSummary(summary: string): string {
  if (summary.length <= CHECK_SUMMARY_MAX_CHARS) return summary
  return summary.slice(0, CHECK_SUMMARY_MAX_CHARS - CUT_NOTE.length) + CUT_NOTE
}

/** Creates the completed check run; returns its URL, or '' after a warning. Never throws. */
export async function tryCreateCheckRun(options: CheckRunOptions): Promise<string> {
  const { octokit, owner, repo, headSha, name, verdict, log } = options
  const conclusion = CONCLUSIONS[verdict]
  try {
    const created = await octokit.rest.checks.create({
      ...{ owner, repo, name, head_sha: headSha, status: 'completed', conclusion },
      output: { title: `Image size: ${verdict}`, summary: checkRunSummary(options.summary) },
    })
    log.info(`Check run ${name} (${conclusion}): ${created.data.html_url ?? ''}`)
    return created.data.html_url ?? ''
  } catch (error) {
    const status = httpStatus(error)
    const hint =
      status === 403
        ? ': the token may not create check runs (give the job `permissions: checks: write`; a pull request from a fork gets a read-only token)'
        : `: ${errorMessage(error)}`
    log.warning(`No check run${hint}`)
    return ''
  }
}
