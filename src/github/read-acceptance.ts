import { parseAcceptLine } from '../budget/accept-line.js'
import type { AcceptClaims, LabelClaim } from '../budget/accept.js'
import { errorMessage } from '../util/errors.js'
import type { Logger } from '../util/log.js'
import { httpStatus } from './github-errors.js'
import type { GitHubClient } from './octokit.js'

export interface ReadAcceptanceOptions {
  octokit: GitHubClient
  owner: string
  repo: string
  pullNumber: number
  /** The label that accepts an increase; '' when labels are off */
  label: string
  /** Whether the description's acceptance line counts */
  inBody: boolean
  log: Logger
}

interface IssueEvent {
  event?: string
  created_at?: string
  actor?: { login?: string } | null
  label?: { name?: string } | null
}

/**
 * What the PR holds now, from the API: the event payload is as old as the run's trigger (a
 * label added or a description edited since is not in it) and says nothing of who applied a
 * label. The PR (`GET /repos/{o}/{r}/pulls/{n}`) gives its labels, description and author; the
 * label's latest `labeled` event (`GET /repos/{o}/{r}/issues/{n}/events`, every page) gives who
 * applied it and when. Never throws: a failed request (a fork's token may get 403) warns and
 * leaves that claim out, so the budgets' verdict holds.
 */
export async function readAcceptClaims(options: ReadAcceptanceOptions): Promise<AcceptClaims> {
  const { octokit, owner, repo, pullNumber, log } = options
  let pull: {
    body?: string | null
    user?: { login?: string } | null
    labels?: Array<{ name?: string }>
  }
  try {
    pull = (await octokit.rest.pulls.get({ owner, repo, pull_number: pullNumber })).data
  } catch (error) {
    log.warning(`No accepted increase: could not read pull request #${pullNumber} (${why(error)})`)
    return {}
  }
  const author = pull.user?.login ?? ''
  const claims: AcceptClaims = {}
  if (options.inBody) claims.body = { line: parseAcceptLine(pull.body ?? ''), author }
  const wanted = options.label.toLowerCase()
  // Label names are unique per repository regardless of case.
  const labelled = wanted && (pull.labels ?? []).some((l) => l.name?.toLowerCase() === wanted)
  if (labelled) {
    const label = await tryReadLabelEvent(options, author)
    if (label) claims.label = label
  }
  return claims
}

async function tryReadLabelEvent(
  options: ReadAcceptanceOptions,
  author: string,
): Promise<LabelClaim | undefined> {
  const { octokit, owner, repo, pullNumber, log } = options
  let events: IssueEvent[]
  try {
    events = await octokit.paginate(octokit.rest.issues.listEvents, {
      ...{ owner, repo, issue_number: pullNumber, per_page: 100 },
    })
  } catch (error) {
    log.warning(
      `No accepted increase: the label ${options.label} is on #${pullNumber}, but who applied ` +
        `it could not be read from its events (${why(error)}), so it is not used`,
    )
    return undefined
  }
  const wanted = options.label.toLowerCase()
  const latest = events
    .filter((e) => e.event === 'labeled' && e.label?.name?.toLowerCase() === wanted)
    .filter((e) => typeof e.created_at === 'string' && typeof e.actor?.login === 'string')
    .sort((a, b) => Date.parse(a.created_at ?? '') - Date.parse(b.created_at ?? ''))
    .at(-1)
  if (!latest) {
    log.warning(
      `No accepted increase: the label ${options.label} is on #${pullNumber}, but its events ` +
        'do not say who applied it, so it is not used',
    )
    return undefined
  }
  const by = latest.actor?.login ?? ''
  const name = latest.label?.name ?? options.label
  const at = latest.created_at ?? ''
  return { name, by, at, byAuthor: by.toLowerCase() === author.toLowerCase() }
}

function why(error: unknown): string {
  const status = httpStatus(error)
  if (status === 403) return `403 ${errorMessage(error)}; a fork's read-only token may not read it`
  return status === undefined ? errorMessage(error) : `${status} ${errorMessage(error)}`
}
