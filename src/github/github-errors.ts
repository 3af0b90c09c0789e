import { RATE_LIMIT_RETRIES, TRANSIENT_RETRIES } from './octokit.js'
import { errorMessage } from '../util/errors.js'

/** Where a comment was to go, for messages. */
export interface CommentTarget {
  owner: string
  repo: string
  issueNumber: number
}

const SUMMARY_HINT = ' — the report is in the job summary'

/** One line saying why the comment could not be written and what to do instead. */
export function describeFailure(error: unknown, target: CommentTarget): string {
  const status = httpStatus(error)
  const where = `${target.owner}/${target.repo}#${target.issueNumber}`
  const detail = githubMessage(error)
  if (isTimeout(error)) return `${detail}; gave up on the comment${SUMMARY_HINT}`
  if (isRateLimited(error)) {
    return (
      `GitHub API rate limit exceeded on ${where}, and it does not lift within the time this ` +
      `action gives GitHub (or after ${RATE_LIMIT_RETRIES} waits); re-run the job later${SUMMARY_HINT}`
    )
  }
  switch (status) {
    case 401:
      return `GitHub rejected the token (401 ${detail}); check the token input${SUMMARY_HINT}`
    case 403:
      return readOnlyAdvice(detail)
    case 404:
      return (
        `${where} was not found or the token cannot see it (404); ` +
        `check the repository and pull request number${SUMMARY_HINT}`
      )
    case 422:
      return (
        `GitHub refused the comment on ${where} (422: ${detail}); ` +
        `the body is too large or invalid${SUMMARY_HINT}`
      )
    case undefined:
      return `could not publish the comment on ${where}: ${detail}${SUMMARY_HINT}`
    default:
      return (
        `GitHub API failed on ${where} (${status} ${detail}) after ${TRANSIENT_RETRIES} retries; ` +
        `re-run the job later${SUMMARY_HINT}`
      )
  }
}

/**
 * A read-only token. Never advise `pull_request_target` for it: with build mode that runs the
 * PR's Dockerfile with a write token. The safe pattern keeps untrusted code away from the
 * token: the report in this run's job summary, and a separate `workflow_run` workflow (which
 * never checks out or builds the PR) to post it.
 */
function readOnlyAdvice(detail: string): string {
  return (
    `the token cannot write PR comments (403 ${detail}): fork pull requests get a read-only ` +
    'GITHUB_TOKEN, so the report is in the job summary of this run. `pull_request_target` is ' +
    "never the fix: it would build and run the PR's code with a write token. To comment on " +
    'fork PRs, post the report from a separate `workflow_run` workflow that never builds the ' +
    'PR; for PRs from this repository, grant `pull-requests: write`'
  )
}

// Structural checks on @octokit/request-error's RequestError: `instanceof` fails when the
// error class comes from another copy of the package (a bundle, a nested node_modules).
interface ErrorShape {
  name?: unknown
  status?: unknown
  message?: unknown
  response?: { headers?: Record<string, unknown>; data?: unknown }
}

function asShape(error: unknown): ErrorShape {
  return typeof error === 'object' && error !== null ? (error as ErrorShape) : {}
}

export function httpStatus(error: unknown): number | undefined {
  const { status } = asShape(error)
  return typeof status === 'number' ? status : undefined
}

/**
 * A request that got no answer in time (see timedFetch in octokit.ts), or whose answer stopped
 * half-way (the body read is aborted with the timeout's own `TimeoutError`).
 */
export function isTimeout(error: unknown): boolean {
  const { name } = asShape(error)
  return name === 'AbortError' || name === 'TimeoutError'
}

function isRateLimited(error: unknown): boolean {
  const { status, message, response } = asShape(error)
  if (status === 429) return true
  if (status !== 403) return false
  const remaining = response?.headers?.['x-ratelimit-remaining']
  return String(remaining) === '0' || /rate limit/i.test(String(message))
}

/** GitHub's own words: the first validation error if any, else its message. */
function githubMessage(error: unknown): string {
  const data = asShape(error).response?.data
  if (typeof data === 'object' && data !== null) {
    const { message, errors } = data as { message?: unknown; errors?: unknown }
    const first: unknown = Array.isArray(errors) ? errors[0] : undefined
    const firstMessage = asShape(first).message
    if (typeof firstMessage === 'string') return firstMessage
    if (typeof message === 'string') return message
  }
  return errorMessage(error)
}
