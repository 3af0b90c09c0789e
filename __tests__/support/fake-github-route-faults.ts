import type { IncomingMessage } from 'node:http'
import type { FakeGitHub, FakeGitHubState } from './fake-github.js'
import { faultReply, rateLimitFault, type RateLimitFault } from './fake-github-faults.js'
import { DOCS, MAX_COMMENT_CHARS, type Reply } from './fake-github-routes.js'

/**
 * Faults aimed at one kind of request (issue 10, item 8): "the next n requests that list the
 * comments answer 502", "the next PATCH hits a secondary rate limit", "the next create is
 * refused as too long". Unlike the server's failNext/failWhen, the match sees the request's body
 * (GraphQL's viewer query and minimizeComment share one path) and the answer can be any of
 * GitHub's own failure replies. Kept per fake server; hooked into fake-github.ts with one call.
 */

export interface SeenRequest {
  method: string
  /** Path and query as sent */
  path: string
  /** The raw body ('' for none) */
  body: string
}

export type RequestMatch = (request: SeenRequest) => boolean

interface RouteFault {
  left: number
  match: RequestMatch
  reply: () => Reply
  /** The request is carried out first and only its answer is replaced (a lost answer). */
  after?: true
}

const faultsOf = new WeakMap<FakeGitHubState, RouteFault[]>()

function addFault(fake: FakeGitHub, fault: RouteFault): void {
  const list = faultsOf.get(fake.state) ?? []
  list.push(fault)
  faultsOf.set(fake.state, list)
}

/** The next `n` requests that `match` get `reply` (a fresh one each time: headers carry times). */
export function replyWhen(fake: FakeGitHub, n: number, match: RequestMatch, reply: () => Reply) {
  addFault(fake, { left: n, match, reply })
}

/**
 * The next `n` matching requests are carried out (the comment is created, updated or deleted)
 * and then answered `status`, as when GitHub's front end times out after the write landed: a
 * client that retries writes twice.
 */
export function loseAnswerWhen(fake: FakeGitHub, n: number, status: number, match: RequestMatch) {
  addFault(fake, {
    left: n,
    match,
    reply: () => faultReply({ kind: 'status', status }),
    after: true,
  })
}

/** The next `n` matching requests answer `status` (e.g. 502), as GitHub words it. */
export function statusWhen(fake: FakeGitHub, n: number, status: number, match: RequestMatch) {
  replyWhen(fake, n, match, () => faultReply({ kind: 'status', status }))
}

/** The next `n` matching requests hit a rate limit (secondary: retry-after; primary: reset). */
export function rateLimitWhen(
  fake: FakeGitHub,
  n: number,
  limit: RateLimitFault,
  match: RequestMatch,
) {
  const fault = rateLimitFault(limit)
  if (fault.kind === 'hang') throw new Error('a rate limit never hangs')
  replyWhen(fake, n, match, () => faultReply(fault))
}

/** GitHub's 422 for a comment body over its limit, whatever the body's length. */
export function bodyTooLong(): Reply {
  const error = {
    ...{ resource: 'IssueComment', code: 'custom', field: 'body' },
    message: `body is too long (maximum is ${MAX_COMMENT_CHARS} characters)`,
  }
  return {
    status: 422,
    body: { message: 'Validation Failed', errors: [error], documentation_url: DOCS },
  }
}

/**
 * The hook, called twice per request: before the routes (`answered` undefined: the reply of the
 * first live fault this request matches, else undefined) and after them with their answer (a
 * lost-answer fault replaces a successful one; otherwise the answer is kept).
 */
export function routeFault(
  state: FakeGitHubState,
  req: IncomingMessage,
  body: string,
  answered?: Reply,
): Reply | undefined {
  const request = { method: req.method ?? '', path: req.url ?? '', body }
  const after = answered !== undefined
  if (after && answered.status >= 400) return answered
  const fault = faultsOf
    .get(state)
    ?.find((f) => f.left > 0 && (f.after === true) === after && f.match(request))
  if (!fault) return answered
  fault.left--
  return fault.reply()
}

/** Matchers for each request the comment flow and its helpers make. */
export const REQUESTS = {
  listComments: (r: SeenRequest) =>
    r.method === 'GET' && /\/issues\/\d+\/comments(\?|$)/.test(r.path),
  createComment: (r: SeenRequest) => r.method === 'POST' && /\/issues\/\d+\/comments$/.test(r.path),
  updateComment: (r: SeenRequest) =>
    r.method === 'PATCH' && /\/issues\/comments\/\d+$/.test(r.path),
  deleteComment: (r: SeenRequest) =>
    r.method === 'DELETE' && /\/issues\/comments\/\d+$/.test(r.path),
  viewer: (r: SeenRequest) => r.path === '/graphql' && /\bviewer\b/.test(r.body),
  getUser: (r: SeenRequest) => r.method === 'GET' && r.path === '/user',
  minimizeComment: (r: SeenRequest) => r.path === '/graphql' && /minimizeComment/.test(r.body),
  createCheckRun: (r: SeenRequest) => r.method === 'POST' && /\/check-runs$/.test(r.path),
  getPull: (r: SeenRequest) => r.method === 'GET' && /\/pulls\/\d+(\?|$)/.test(r.path),
  listEvents: (r: SeenRequest) => r.method === 'GET' && /\/issues\/\d+\/events(\?|$)/.test(r.path),
  listPulls: (r: SeenRequest) => r.method === 'GET' && /\/pulls(\?|$)/.test(r.path),
} satisfies Record<string, RequestMatch>
