/**
 * The pull request a `workflow_run` run reports on (mode publish, issue 10). Never taken from
 * the report or the artifact, which the fork controls: the open PR of this repository whose
 * head commit is the triggering run's head SHA and whose head repository is the triggering run's.
 */
import type { GitHubClient } from './octokit.js'

/** What the workflow_run event says about the run that measured (from the event payload) */
export interface TriggeringRun {
  headSha: string
  headBranch: string
  /** `owner/name` of the repository the PR's head lives in (the fork) */
  headRepository: string
}

export type PullRequestMatch = { ok: true; number: number } | { ok: false; reason: string }

/** The event's workflow_run fields; a reason when it has none (not a workflow_run event). */
export function readTriggeringRun(payload: unknown): TriggeringRun | string {
  const run = (payload as { workflow_run?: Record<string, unknown> } | undefined)?.workflow_run
  if (!run || typeof run !== 'object')
    return 'the event has no workflow_run (mode publish runs on workflow_run events)'
  const repo = run.head_repository as { full_name?: unknown } | null | undefined
  const { head_sha: headSha, head_branch: headBranch } = run
  if (typeof headSha !== 'string' || !/^[0-9a-f]{40,64}$/.test(headSha))
    return 'the workflow_run event has no head_sha'
  if (typeof headBranch !== 'string' || headBranch === '')
    return 'the workflow_run event has no head_branch'
  if (typeof repo?.full_name !== 'string' || !repo.full_name.includes('/'))
    return 'the workflow_run event has no head_repository'
  return { headSha, headBranch, headRepository: repo.full_name }
}

export async function findPullRequest(
  octokit: GitHubClient,
  base: { owner: string; repo: string },
  run: TriggeringRun,
): Promise<PullRequestMatch> {
  const [headOwner] = run.headRepository.split('/')
  const pulls = await octokit.paginate(octokit.rest.pulls.list, {
    ...base,
    state: 'open',
    head: `${headOwner}:${run.headBranch}`,
    per_page: 100,
  })
  // The head filter narrows the list; both conditions are checked here all the same.
  const matches = pulls.filter(
    (pr) =>
      pr.head.sha === run.headSha &&
      pr.head.repo?.full_name?.toLowerCase() === run.headRepository.toLowerCase(),
  )
  const where = `${run.headRepository} at ${run.headSha.slice(0, 12)}`
  if (matches.length === 1) return { ok: true, number: matches[0].number }
  if (matches.length === 0)
    return {
      ok: false,
      reason: `no open pull request of ${base.owner}/${base.repo} has its head at ${where}`,
    }
  return {
    ok: false,
    reason: `${matches.length} open pull requests have their head at ${where} (#${matches.map((m) => m.number).join(', #')}): not choosing one`,
  }
}
