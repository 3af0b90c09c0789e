import type { GitHubClient } from './octokit.js'
import { RATE_LIMIT_RETRIES, TRANSIENT_RETRIES } from './octokit.js'
import { errorMessage } from '../util/errors.js'
import type { Logger } from '../util/log.js'

/** Whom comments are written by when the token cannot call GET /user (an Actions GITHUB_TOKEN). */
export const ACTIONS_BOT_LOGIN = 'github-actions[bot]'

export interface PublishCommentOptions {
  octokit: GitHubClient
  owner: string
  repo: string
  /** The pull request's number (PR comments are issue comments). */
  issueNumber: number
  /** Tells this comment apart from others the action leaves on the same PR (e.g. per image). */
  key: string
  /** Markdown; the marker is prepended. */
  body: string
  log: Logger
}

export interface UpsertResult {
  url: string
  id: number
  action: 'created' | 'updated' | 'unchanged'
}

export type PublishResult =
  { ok: true; url: string; action: UpsertResult['action'] } | { ok: false; reason: string }

/**
 * The hidden marker that finds this action's comment again. Only [A-Za-z0-9._/-] of the key are
 * kept, so no key can close the HTML comment (`-->` needs `>`); keys that differ only in dropped
 * characters share one comment, and a key with nothing left becomes `default`.
 */
export function commentMarker(key: string): string {
  const safeKey = key.replace(/[^A-Za-z0-9._/-]/g, '') || 'default'
  return `<!-- image-size-gate:comment-key=${safeKey} -->`
}

/**
 * One sticky comment per PR and key: updates the first comment that carries the marker and was
 * written by this token's identity (so another bot or a user quoting the marker is never
 * edited), else creates one. Throws Octokit's RequestError on failure.
 */
export async function upsertComment(options: PublishCommentOptions): Promise<UpsertResult> {
  const { octokit, owner, repo, issueNumber } = options
  const body = `${commentMarker(options.key)}\n${options.body}`
  const existing = await findOwnComment(options)
  if (!existing) {
    const created = await octokit.rest.issues.createComment({
      owner,
      repo,
      issue_number: issueNumber,
      body,
    })
    return { url: created.data.html_url, id: created.data.id, action: 'created' }
  }
  if (normaliseNewlines(existing.body ?? '') === normaliseNewlines(body)) {
    return { url: existing.html_url, id: existing.id, action: 'unchanged' }
  }
  const updated = await octokit.rest.issues.updateComment({
    owner,
    repo,
    comment_id: existing.id,
    body,
  })
  return { url: updated.data.html_url, id: updated.data.id, action: 'updated' }
}

type IssueComment = Awaited<ReturnType<GitHubClient['rest']['issues']['listComments']>>['data'][0]

/** The first marked comment by this token's identity, reading every page (100 a page). */
async function findOwnComment(options: PublishCommentOptions): Promise<IssueComment | undefined> {
  const { octokit, owner, repo, issueNumber, log } = options
  const marker = commentMarker(options.key)
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    owner,
    repo,
    issue_number: issueNumber,
    per_page: 100,
  })
  const marked = comments.filter((comment) => comment.body?.includes(marker))
  // Only asked when needed: a first run finds no marked comment at all.
  const login = marked.length > 0 ? await getTokenLogin(octokit, log) : ''
  const ours = marked.filter((comment) => sameLogin(comment.user?.login, login))
  log.debug(
    `${comments.length} comments on #${issueNumber}, ${marked.length} with ${marker}, ` +
      `${ours.length} of them by ${login || 'this token'}`,
  )
  if (ours.length > 1) {
    const ids = ours.slice(1).map((comment) => comment.id)
    log.debug(`updating comment ${ours[0]?.id}; leaving older duplicates alone: ${ids.join(', ')}`)
  }
  return ours[0]
}

/** `upsertComment` for callers that must carry on: never throws, says what to do instead. */
export async function tryPublishComment(options: PublishCommentOptions): Promise<PublishResult> {
  try {
    const { url, action } = await upsertComment(options)
    return { ok: true, url, action }
  } catch (error) {
    options.log.debug(`publishing the comment failed: ${errorMessage(error)}`)
    return { ok: false, reason: describeFailure(error, options) }
  }
}

async function getTokenLogin(octokit: GitHubClient, log: Logger): Promise<string> {
  try {
    const { data } = await octokit.rest.users.getAuthenticated()
    return data.login
  } catch (error) {
    const status = httpStatus(error)
    if (status !== 403 && status !== 404) throw error
    // An Actions GITHUB_TOKEN (an installation token) gets 403 "Resource not accessible by
    // integration" here; its comments are written by github-actions[bot].
    log.debug(`GET /user answered ${status}; assuming the token is ${ACTIONS_BOT_LOGIN}`)
    return ACTIONS_BOT_LOGIN
  }
}

function sameLogin(a: string | undefined, b: string): boolean {
  // GitHub logins are case-insensitive.
  return a !== undefined && a.toLowerCase() === b.toLowerCase()
}

function normaliseNewlines(text: string): string {
  return text.replace(/\r\n/g, '\n')
}

const SUMMARY_HINT = ' — the report is in the job summary'

function describeFailure(error: unknown, options: PublishCommentOptions): string {
  const status = httpStatus(error)
  const where = `${options.owner}/${options.repo}#${options.issueNumber}`
  const detail = githubMessage(error)
  if (isRateLimited(error)) {
    return (
      `GitHub API rate limit still exceeded after ${RATE_LIMIT_RETRIES} waits; ` +
      `re-run the job later${SUMMARY_HINT}`
    )
  }
  switch (status) {
    case 401:
      return `GitHub rejected the token (401 ${detail}); check the token input${SUMMARY_HINT}`
    case 403:
      return (
        'the token cannot write PR comments: fork pull requests get a read-only GITHUB_TOKEN; ' +
        'grant `pull-requests: write` or run on `pull_request_target` carefully' +
        SUMMARY_HINT
      )
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

// Structural checks on @octokit/request-error's RequestError: `instanceof` fails when the
// error class comes from another copy of the package (a bundle, a nested node_modules).
interface ErrorShape {
  status?: unknown
  message?: unknown
  response?: { headers?: Record<string, unknown>; data?: unknown }
}

function asShape(error: unknown): ErrorShape {
  return typeof error === 'object' && error !== null ? (error as ErrorShape) : {}
}

function httpStatus(error: unknown): number | undefined {
  const { status } = asShape(error)
  return typeof status === 'number' ? status : undefined
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
