/**
 * The size history in the action (issue 11): a PR run reads the base branch's points before the
 * comparison (GateOptions.history); a push to a recorded branch appends the run's points after
 * the report is written. Neither ever fails the run: problems are one warning each.
 */
import * as core from '@actions/core'
import type { SizeHistory } from '../model/size-history.js'
import type { Report } from '../report/report.js'
import { NO_HISTORY_YET, readSizeHistory } from '../size-history/read-history.js'
import { decideRecording } from '../size-history/record-policy.js'
import { pointsFromReport } from '../size-history/points-from-report.js'
import { appendPoints } from '../size-history/append-points.js'
import { errorMessage } from '../util/errors.js'
import type { Logger } from '../util/log.js'
import type { Inputs } from './inputs.js'
import { actionsLogger } from './logger.js'

/**
 * The base branch's points for this run's image (key: comment-key), for a pull request run with
 * history on; undefined otherwise. At most one GitHub request.
 */
export async function readRunHistory(
  inputs: Inputs,
  key = inputs.commentKey,
): Promise<SizeHistory | undefined> {
  if (!inputs.history) return undefined
  const { context } = await import('@actions/github')
  const base = (context.payload.pull_request?.base as { ref?: unknown } | undefined)?.ref
  if (typeof base !== 'string' || !base) return undefined
  return readHistory({
    ...{ key, branch: base, storeBranch: inputs.history.storeBranch },
    ...{ token: inputs.githubToken, owner: context.repo.owner, repo: context.repo.repo },
  })
}

export interface ReadOptions {
  /** The image key */
  key: string
  /** The recorded branch to read: the PR's base branch */
  branch: string
  storeBranch: string
  token: string
  owner: string
  repo: string
}

/**
 * One image key's points on `branch` (one GitHub request), logged: "no history yet" as info,
 * an unusable store as a warning. Never throws; the multi-image flow calls it per key.
 */
export async function readHistory(options: ReadOptions): Promise<SizeHistory> {
  const { key, branch, storeBranch } = options
  let history: SizeHistory
  if (!options.token)
    history = {
      branch,
      points: [],
      warning: 'github-token is empty: the size history cannot be read',
    }
  else {
    const [{ createOctokit }, { latestHistoryFile }] = await Promise.all([
      import('../github/octokit.js'),
      import('../github/history-git.js'),
    ])
    const octokit = createOctokit(options.token, { log: actionsLogger })
    const read = latestHistoryFile(octokit, {
      owner: options.owner,
      repo: options.repo,
      branch: storeBranch,
    })
    history = await readSizeHistory(read, { branch, key, storeBranch })
  }
  if (history.warning?.startsWith(NO_HISTORY_YET)) core.info(`Size history: ${history.warning}`)
  else if (history.warning) core.warning(`Size history: ${history.warning}`)
  else
    core.info(
      `Size history: ${history.points.length} points of ${key} on ${branch} (${storeBranch})`,
    )
  return history
}

/** After the report is written: records this run's points when the event and branch call for it. */
export async function recordRunHistory(
  report: Report,
  inputs: Inputs,
  key = inputs.commentKey,
): Promise<void> {
  if (!inputs.history) return
  const { context } = await import('@actions/github')
  const repository = context.payload.repository as { default_branch?: unknown } | undefined
  const defaultBranch =
    typeof repository?.default_branch === 'string' ? repository.default_branch : undefined
  const decision = decideRecording(
    { name: context.eventName, ref: context.ref, defaultBranch },
    inputs.history,
  )
  if (!decision.record) {
    core.info(`Size history not recorded: ${decision.reason}`)
    return
  }
  await core.group('Record the size history', () =>
    recordHistory(report, {
      ...{ key, sha: context.sha, branch: decision.branch },
      ...{ storeBranch: inputs.history?.storeBranch ?? '', token: inputs.githubToken },
      ...{ owner: context.repo.owner, repo: context.repo.repo, log: actionsLogger },
    }),
  )
}

export interface RecordOptions {
  /** The image key: the comment key, or the image's name in a multi-image run */
  key: string
  /** The commit measured (GITHUB_SHA on push) */
  sha: string
  /** The recorded branch, e.g. main */
  branch: string
  storeBranch: string
  token: string
  owner: string
  repo: string
  log: Logger
  /** Default: now */
  time?: Date
}

/**
 * Appends `report`'s points for one image key to the store. The caller has decided that this
 * run records (decideRecording). Never throws: a token without `contents: write` is one warning
 * that says what to add; any other failure is one warning too.
 */
export async function recordHistory(report: Report, options: RecordOptions): Promise<void> {
  const { log, owner, repo, storeBranch, key, branch } = options
  if (!/^[0-9a-f]{40}$/.test(options.sha)) {
    log.warning(`Size history not recorded: the commit "${options.sha}" is not a 40-digit SHA`)
    return
  }
  if (!options.token) {
    log.warning('Size history not recorded: github-token is empty')
    return
  }
  const time = options.time ?? new Date()
  const points = pointsFromReport(report, { key, sha: options.sha, time })
  try {
    const [{ createOctokit }, { gitHistoryStore }] = await Promise.all([
      import('../github/octokit.js'),
      import('../github/history-git.js'),
    ])
    const octokit = createOctokit(options.token, { log })
    const store = gitHistoryStore(octokit, { owner, repo, branch: storeBranch })
    const result = await appendPoints(store, { branch, key, points, now: time, log })
    if (result.status === 'skipped') log.warning(`Size history not recorded: ${result.reason}`)
    else
      log.info(
        `Size history: recorded ${points.length} point${points.length === 1 ? '' : 's'} of ${key} on ${branch} at ${options.sha.slice(0, 7)} in ${storeBranch}:${result.path} (${result.points} kept)`,
      )
  } catch (error) {
    log.warning(`Size history not recorded: ${await describeWriteError(error, owner, repo)}`)
  }
}

async function describeWriteError(error: unknown, owner: string, repo: string): Promise<string> {
  const { httpStatus } = await import('../github/github-errors.js')
  const status = httpStatus(error)
  if (status === 403 || status === 404)
    return (
      `the token cannot write to ${owner}/${repo} (${status}: ${errorMessage(error)}). ` +
      'Give the job `permissions: contents: write` (the push workflow only, never a pull_request one)'
    )
  return errorMessage(error)
}
