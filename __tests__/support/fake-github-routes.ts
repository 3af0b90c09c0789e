import { routeCommentExtras } from './fake-github-comment-routes.js'
import type { FakeComment, FakeGitHubState, FakeToken, SeedComment } from './fake-github.js'
import { routePullList } from './fake-github-pull-list.js'
import { routePulls } from './fake-github-pulls.js'
import { routeGit } from './fake-github-git.js'

/** The REST routes of the fake GitHub; the server, tokens and faults are in fake-github.ts. */

export const MAX_COMMENT_CHARS = 65536
export const DOCS = 'https://docs.github.com/rest'
export const NOT_ACCESSIBLE = 'Resource not accessible by integration'

export interface Reply {
  status: number
  body: unknown
  headers?: Record<string, string>
  /** Sent as is instead of `body` as JSON (the contents API's raw media type) */
  raw?: string
}

export interface RouteContext {
  state: FakeGitHubState
  method: string
  url: URL
  body: unknown
  token: FakeToken
  /** The server's own root, for `url` fields and Link headers. */
  baseUrl: string
  /** Known `owner/repo`; undefined: all exist. */
  repos: string[] | undefined
  addComment(seed: Required<SeedComment>): FakeComment
  /** The request's Accept header (media types such as application/vnd.github.raw) */
  accept?: string
}

export const notFound: Reply = {
  status: 404,
  body: { message: 'Not Found', documentation_url: DOCS },
}
const notAccessible: Reply = {
  status: 403,
  body: { message: NOT_ACCESSIBLE, documentation_url: DOCS },
}

const ISSUE_COMMENTS = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/
const ONE_COMMENT = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/

export function routeRequest(ctx: RouteContext): Reply {
  const { method, url, token } = ctx
  const extra = routeCommentExtras(ctx) ?? routeGit(ctx)
  if (extra) return extra
  if (method === 'GET' && url.pathname === '/user') {
    // Installation tokens (an Actions GITHUB_TOKEN) cannot call it; user tokens can.
    const allowed = token.canGetUser ?? token.type === 'User'
    if (allowed) return { status: 200, body: { ...toUser(token.login, token.type) } }
    return token.userStatus === 404 ? notFound : notAccessible
  }
  if (method === 'POST' && url.pathname === '/graphql') return graphql(ctx)
  if (/\/pulls$/.test(url.pathname)) return routePullList(ctx) ?? notFound
  const issue = url.pathname.match(ISSUE_COMMENTS)
  const single = url.pathname.match(ONE_COMMENT)
  const [, owner = '', repo = '', number = ''] = issue ?? single ?? []
  if ((issue || single) && ctx.repos && !ctx.repos.includes(`${owner}/${repo}`)) return notFound
  if (issue && method === 'GET') return listComments(ctx, owner, repo, Number(number))
  if (issue && method === 'POST') return createComment(ctx, owner, repo, Number(number))
  if (single && method === 'PATCH') return updateComment(ctx, owner, repo, Number(number))
  if (single && method === 'DELETE') return deleteComment(ctx, owner, repo, Number(number))
  return routePulls(ctx) ?? notFound
}

/** A stable user id per login, as GitHub gives every account (bots included) its own. */
export function userId(login: string): number {
  let hash = 7
  for (const char of login) hash = (hash * 31 + char.charCodeAt(0)) % 1_000_000_007
  return 1000 + hash
}

const toUser = (login: string, type: 'Bot' | 'User') => ({ login, id: userId(login), type })

/**
 * POST /graphql: only `viewer { login databaseId }`, which GitHub answers for user and
 * installation tokens alike (unlike GET /user). A token that may not ask gets GitHub's
 * 200-with-errors shape.
 */
function graphql(ctx: RouteContext): Reply {
  const query = (ctx.body as { query?: unknown } | undefined)?.query
  if (typeof query !== 'string' || !/\bviewer\b/.test(query)) {
    return { status: 200, body: { errors: [{ message: 'The fake answers only viewer' }] } }
  }
  if (ctx.token.canGetViewer === false) {
    const error = { type: 'FORBIDDEN', path: ['viewer'], message: NOT_ACCESSIBLE }
    return { status: 200, body: { data: { viewer: null }, errors: [error] } }
  }
  const { login } = ctx.token
  return { status: 200, body: { data: { viewer: { login, databaseId: userId(login) } } } }
}

function deleteComment(ctx: RouteContext, owner: string, repo: string, id: number): Reply {
  const index = ctx.state.comments.findIndex(
    (c) => c.owner === owner && c.repo === repo && c.id === id,
  )
  if (index < 0) return notFound
  if (!ctx.token.canWrite) return notAccessible
  ctx.state.comments.splice(index, 1)
  return { status: 204, body: undefined }
}

function listComments(ctx: RouteContext, owner: string, repo: string, issue: number): Reply {
  const all = ctx.state.comments.filter(
    (c) => c.owner === owner && c.repo === repo && c.issueNumber === issue,
  )
  return listPage(all, ctx.url, ctx.baseUrl)
}

function createComment(ctx: RouteContext, owner: string, repo: string, issue: number): Reply {
  const text = readCommentBody(ctx)
  if (typeof text !== 'string') return text
  const { login, type } = ctx.token
  const comment = ctx.addComment({ owner, repo, issueNumber: issue, body: text, login, type })
  return { status: 201, body: toJson(comment, ctx.baseUrl) }
}

function updateComment(ctx: RouteContext, owner: string, repo: string, id: number): Reply {
  const comment = ctx.state.comments.find(
    (c) => c.owner === owner && c.repo === repo && c.id === id,
  )
  if (!comment) return notFound
  const text = readCommentBody(ctx)
  if (typeof text !== 'string') return text
  comment.body = text
  comment.updatedAt = new Date().toISOString()
  return { status: 200, body: toJson(comment, ctx.baseUrl) }
}

/** The new body, or GitHub's answer: 403 for a read-only token, 422 when missing or too long. */
function readCommentBody(ctx: RouteContext): Reply | string {
  const text = (ctx.body as { body?: unknown } | undefined)?.body
  if (!ctx.token.canWrite) return notAccessible
  if (typeof text !== 'string') {
    const message = 'Invalid request.\n\n"body" wasn\'t supplied.'
    return { status: 422, body: { message, documentation_url: DOCS } }
  }
  if (text.length <= MAX_COMMENT_CHARS) return text
  const error = {
    ...{ resource: 'IssueComment', code: 'custom', field: 'body' },
    message: `body is too long (maximum is ${MAX_COMMENT_CHARS} characters)`,
  }
  const body = { message: 'Validation Failed', errors: [error], documentation_url: DOCS }
  return { status: 422, body }
}

/**
 * One page (30 by default, 100 at most) with a Link header in GitHub's order:
 * prev, next, last, first; absent when everything fits on one page.
 */
export function listPage(all: FakeComment[], url: URL, baseUrl: string): Reply {
  const perPage = Math.min(Math.max(Number(url.searchParams.get('per_page')) || 30, 1), 100)
  const page = Math.max(Number(url.searchParams.get('page')) || 1, 1)
  const last = Math.max(Math.ceil(all.length / perPage), 1)
  const items = all.slice((page - 1) * perPage, page * perPage)
  const link = (p: number, rel: string) => {
    const target = new URL(url.pathname + url.search, baseUrl)
    target.searchParams.set('page', String(p))
    return `<${target.href}>; rel="${rel}"`
  }
  const links: string[] = []
  if (page > 1) links.push(link(Math.min(page - 1, last), 'prev'))
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'))
  if (page > 1) links.push(link(1, 'first'))
  const headers: Record<string, string> = links.length > 0 ? { link: links.join(', ') } : {}
  return { status: 200, headers, body: items.map((c) => toJson(c, baseUrl)) }
}

function toJson(comment: FakeComment, baseUrl: string) {
  const { id, owner, repo, issueNumber, body, user } = comment
  return {
    id,
    node_id: `IC_fake${id}`,
    url: `${baseUrl}/repos/${owner}/${repo}/issues/comments/${id}`,
    html_url: `https://github.com/${owner}/${repo}/pull/${issueNumber}#issuecomment-${id}`,
    issue_url: `${baseUrl}/repos/${owner}/${repo}/issues/${issueNumber}`,
    body,
    user: toUser(user.login, user.type),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    author_association: user.type === 'Bot' ? 'NONE' : 'MEMBER',
  }
}
