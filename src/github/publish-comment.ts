import { createHash } from 'node:crypto'
import { describeFailure, httpStatus } from './github-errors.js'
import type { GitHubClient } from './octokit.js'
import { writeShortenedIfTooLong } from './shorten-body.js'
import { getTokenIdentity, identityOf, isWrittenBy, type TokenIdentity } from './token-identity.js'
import { errorMessage } from '../util/errors.js'
import type { Logger } from '../util/log.js'

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
  /** Absent: update in place, always (the comment-mode and comment-when defaults). */
  behaviour?: CommentBehaviour
}

/** What comment-mode, comment-when and delete-stale ask for, with the run's verdict. */
export interface CommentBehaviour {
  mode: 'update' | 'recreate'
  when: 'always' | 'changed' | 'problems'
  /** The verdict is warn or fail */
  problems: boolean
  /** delete-stale is on, the verdict is pass and nothing grew: the comment goes */
  stale: boolean
}

export interface UpsertResult {
  url: string
  id: number
  action: 'created' | 'updated' | 'unchanged' | 'recreated' | 'deleted' | 'skipped'
}

export type PublishResult =
  { ok: true; url: string; action: UpsertResult['action'] } | { ok: false; reason: string }

/** Longest key kept whole in the marker; a longer one is cut and given a hash of the whole. */
export const MARKER_KEY_MAX_CHARS = 200

/**
 * The hidden marker that finds this action's comment again: the first line of the body. Only
 * [A-Za-z0-9._/-] of the key are kept, so no key can close the HTML comment (`-->` needs `>`);
 * keys that differ only in dropped characters share one comment, and a key with nothing left
 * becomes `default`. A key longer than MARKER_KEY_MAX_CHARS keeps its start and a hash.
 */
export function commentMarker(key: string): string {
  let safeKey = key.replace(/[^A-Za-z0-9._/-]/g, '') || 'default'
  if (safeKey.length > MARKER_KEY_MAX_CHARS) {
    const hash = createHash('sha256').update(safeKey).digest('hex').slice(0, 16)
    safeKey = `${safeKey.slice(0, MARKER_KEY_MAX_CHARS - 17)}-${hash}`
  }
  return `<!-- image-size-gate:comment-key=${safeKey} -->`
}

/**
 * One sticky comment per PR and key. The sticky is a comment whose body *starts with* the marker
 * and whose author is this token's identity (a comment quoting the marker, or another account's,
 * is never touched). The oldest such comment is updated and newer duplicates are deleted; when
 * there is none, one is created, and the list is read again so that runs racing on one PR
 * converge on the oldest comment. Throws Octokit's RequestError on failure.
 */
export async function upsertComment(options: PublishCommentOptions): Promise<UpsertResult> {
  const { octokit, owner, repo, issueNumber, log } = options
  const marker = commentMarker(options.key)
  const body = `${marker}\n${options.body}`
  const stickies = await listStickies(options, marker)
  // Only asked when needed: a first run finds no sticky at all.
  const identity = stickies.length > 0 ? await getTokenIdentity(octokit, log) : undefined
  const ours = identity ? stickies.filter((c) => isWrittenBy(c.user, identity)) : []
  log.debug(
    `${stickies.length} comments on #${issueNumber} start with ${marker}, ` +
      `${ours.length} of them by ${identity?.login ?? 'an identity not known yet'}`,
  )
  if (ours.length > 0) return keepOldest(options, ours, body)
  const created = await writeShortenedIfTooLong(
    body,
    (text) =>
      octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body: text }),
    log,
  )
  const result: UpsertResult = {
    url: created.data.html_url,
    id: created.data.id,
    action: 'created',
  }
  const author = identityOf(created.data.user) ?? identity
  if (!author) return result
  try {
    return await converge(options, created.data, author, body)
  } catch (error) {
    // The comment is there: say so, rather than report no comment at all.
    log.warning(`PR comment created, but not checked for duplicates: ${errorMessage(error)}`)
    return result
  }
}

type IssueComment = Awaited<ReturnType<GitHubClient['rest']['issues']['listComments']>>['data'][0]

/** Comments whose body starts with the marker, reading every page (100 a page). */
async function listStickies(options: PublishCommentOptions, marker: string) {
  const { octokit, owner, repo, issueNumber } = options
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    ...{ owner, repo, issue_number: issueNumber, per_page: 100 },
  })
  return comments.filter((comment) => comment.body?.startsWith(marker) === true)
}

/**
 * After creating: every sticky by the same author, read again, the new one included even when
 * the list does not show it yet. Another run may have created one at the same time (or this
 * token could not tell its own earlier comment apart before writing): the oldest wins.
 */
async function converge(
  options: PublishCommentOptions,
  created: IssueComment,
  author: TokenIdentity,
  body: string,
): Promise<UpsertResult> {
  const marker = commentMarker(options.key)
  const again = await listStickies(options, marker)
  const ours = again.filter((c) => isWrittenBy(c.user, author))
  if (!ours.some((c) => c.id === created.id)) ours.push(created)
  return keepOldest(options, ours, body, created.id)
}

/** Updates the oldest of `ours` (unless it holds `body` already), then deletes the others. */
async function keepOldest(
  options: PublishCommentOptions,
  ours: IssueComment[],
  body: string,
  createdId?: number,
): Promise<UpsertResult> {
  const { octokit, owner, repo } = options
  const [keep, ...duplicates] = [...ours].sort(byAge)
  let result: UpsertResult
  if (keep.id === createdId) {
    result = { url: keep.html_url, id: keep.id, action: 'created' }
  } else if (normaliseNewlines(keep.body ?? '') === normaliseNewlines(body)) {
    result = { url: keep.html_url, id: keep.id, action: 'unchanged' }
  } else {
    const updated = await writeShortenedIfTooLong(
      body,
      (text) => octokit.rest.issues.updateComment({ owner, repo, comment_id: keep.id, body: text }),
      options.log,
    )
    result = { url: updated.data.html_url, id: updated.data.id, action: 'updated' }
  }
  for (const duplicate of duplicates) await tryDeleteComment(options, duplicate.id)
  return result
}

const byAge = (a: IssueComment, b: IssueComment) =>
  a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.id - b.id

/** A duplicate sticky goes; one already gone (another run deleted it) is fine. */
async function tryDeleteComment(options: PublishCommentOptions, id: number): Promise<void> {
  const { octokit, owner, repo, log } = options
  try {
    await octokit.rest.issues.deleteComment({ owner, repo, comment_id: id })
    log.debug(`deleted duplicate comment ${id}`)
  } catch (error) {
    if (httpStatus(error) === 404) return
    log.warning(`Could not delete the duplicate PR comment ${id}: ${errorMessage(error)}`)
  }
}

/** `upsertComment` for callers that must carry on: never throws, says what to do instead. */
export async function tryPublishComment(options: PublishCommentOptions): Promise<PublishResult> {
  try {
    const { url, action } = await (options.behaviour
      ? publishWithBehaviour(options, options.behaviour)
      : upsertComment(options))
    return { ok: true, url, action }
  } catch (error) {
    options.log.debug(`publishing the comment failed: ${errorMessage(error)}`)
    return { ok: false, reason: describeFailure(error, options) }
  }
}

function normaliseNewlines(text: string): string {
  return text.replace(/\r\n/g, '\n')
}

/** The hidden line that carries the rendered report's hash (comment-when: changed). */
export function contentHashLine(body: string): string {
  const hash = createHash('sha256').update(normaliseNewlines(body)).digest('hex').slice(0, 32)
  return `<!-- image-size-gate:content-hash=${hash} -->`
}

/**
 * The sticky comment as comment-mode, comment-when and delete-stale ask. Deleting or skipping
 * makes no write at all when there is nothing to delete or the content is the same; update mode
 * keeps the oldest comment (upsertComment), recreate mode posts a new one first and then hides
 * the previous one (minimized as OUTDATED), so a failed post never hides the only report.
 */
export async function publishWithBehaviour(
  options: PublishCommentOptions,
  behaviour: CommentBehaviour,
): Promise<UpsertResult> {
  const { octokit, owner, repo, issueNumber, log } = options
  const marker = commentMarker(options.key)
  const stickies = await listStickies(options, marker)
  const identity = stickies.length > 0 ? await getTokenIdentity(octokit, log) : undefined
  const ours = (identity ? stickies.filter((c) => isWrittenBy(c.user, identity)) : []).sort(byAge)
  const none: UpsertResult = { url: '', id: 0, action: 'skipped' }
  if (behaviour.stale) {
    for (const comment of ours) await tryDeleteComment(options, comment.id)
    log.info(
      ours.length > 0
        ? 'delete-stale: within budget and nothing grew, the PR comment is deleted'
        : 'delete-stale: within budget and nothing grew, no PR comment',
    )
    return ours.length > 0 ? { ...none, action: 'deleted' } : none
  }
  if (behaviour.when === 'problems' && !behaviour.problems && ours.length === 0) {
    log.info('comment-when: problems, and the verdict is pass: no PR comment')
    return none
  }
  const hashLine = behaviour.when === 'changed' ? `${contentHashLine(options.body)}\n` : ''
  const body = `${hashLine}${options.body}`
  const previous = behaviour.mode === 'recreate' ? ours.at(-1) : ours[0]
  if (hashLine && previous?.body?.split('\n', 2)[1]?.trimEnd() === hashLine.trimEnd()) {
    log.info("comment-when: changed, and the report is the same as the comment's: left as is")
    return { url: previous.html_url, id: previous.id, action: 'unchanged' }
  }
  if (behaviour.mode === 'update' || ours.length === 0)
    return upsertComment({ ...options, body, behaviour: undefined })
  const created = await writeShortenedIfTooLong(
    `${marker}\n${body}`,
    (text) =>
      octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body: text }),
    log,
  )
  // Older ones were hidden by the runs that replaced them: only the latest is still shown.
  await tryMinimizeComment(options, ours[ours.length - 1])
  const shown = await tryYieldToRival(options, ours, created.data, identity)
  return { url: shown.html_url, id: shown.id, action: 'recreated' }
}

/**
 * Recreate mode's answer to a race: another run that read the same comments posted its new one
 * at the same time. Reading the list again, a sticky neither listed before nor this run's own,
 * and older than this run's, wins: this run deletes its own and names that one (the other run
 * keeps its own, as its rival is newer). A run that saw the rival's comment before posting
 * hides it instead, so a later run never loses to an earlier one. Returns the comment shown;
 * a failure to read the list again is a warning, and this run's comment is kept.
 */
async function tryYieldToRival(
  options: PublishCommentOptions,
  before: IssueComment[],
  created: IssueComment,
  identity: TokenIdentity | undefined,
): Promise<IssueComment> {
  const author = identityOf(created.user) ?? identity
  if (!author) return created
  try {
    const seen = new Set([...before.map((c) => c.id), created.id])
    const again = await listStickies(options, commentMarker(options.key))
    const rivals = again
      .filter((c) => !seen.has(c.id) && isWrittenBy(c.user, author) && byAge(c, created) < 0)
      .sort(byAge)
    if (rivals.length === 0) return created
    options.log.info(
      `Another run posted PR comment ${rivals[0].id} at the same time: kept that one`,
    )
    await tryDeleteComment(options, created.id)
    return rivals[0]
  } catch (error) {
    options.log.warning(`PR comment posted, but not checked for duplicates: ${errorMessage(error)}`)
    return created
  }
}

const MINIMIZE = `mutation($id: ID!) {
  minimizeComment(input: { subjectId: $id, classifier: OUTDATED }) { minimizedComment { isMinimized } }
}`

/** Hides a previous sticky as outdated; one that cannot be hidden is a warning. */
async function tryMinimizeComment(options: PublishCommentOptions, comment: IssueComment) {
  try {
    await options.octokit.graphql(MINIMIZE, { id: comment.node_id })
    options.log.debug(`minimized the previous comment ${comment.id}`)
  } catch (error) {
    options.log.warning(
      `Could not hide the previous PR comment ${comment.id}: ${errorMessage(error)}`,
    )
  }
}
