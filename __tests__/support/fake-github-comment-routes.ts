import type { FakeGitHubState } from './fake-github.js'
import {
  DOCS,
  NOT_ACCESSIBLE,
  notFound,
  type Reply,
  type RouteContext,
} from './fake-github-routes.js'

/**
 * The fake GitHub's routes for comment behaviour (issue 10): GraphQL minimizeComment and check
 * run creation, with GitHub's failure modes (403 for a token without the permission, as on a
 * fork; 422 for a summary over 65535 characters; GraphQL's 200-with-errors). 5xx and rate
 * limits come from the server's faults (failWhen, failNext).
 */

export const MAX_CHECK_SUMMARY_CHARS = 65535

export interface FakeCheckRun {
  id: number
  owner: string
  repo: string
  name: string
  headSha: string
  status: string
  conclusion: string | undefined
  title: string | undefined
  summary: string | undefined
}

export interface CommentExtras {
  /** Ids of the comments minimized, and the classifier each got */
  minimized: Array<{ id: number; classifier: string }>
  checkRuns: FakeCheckRun[]
  /** false: POST check-runs answers 403 (a token without checks: write, e.g. a fork's) */
  checksWrite: boolean
}

const extrasByState = new WeakMap<FakeGitHubState, CommentExtras>()

/** This fake's minimized comments and check runs (and the checks permission to change). */
export function commentExtras(state: FakeGitHubState): CommentExtras {
  let extras = extrasByState.get(state)
  if (!extras) {
    extras = { minimized: [], checkRuns: [], checksWrite: true }
    extrasByState.set(state, extras)
  }
  return extras
}

const CHECK_RUNS = /^\/repos\/([^/]+)\/([^/]+)\/check-runs$/

/** The answer when the request is one of these routes; undefined: not one of them. */
export function routeCommentExtras(ctx: RouteContext): Reply | undefined {
  if (ctx.method === 'POST' && ctx.url.pathname === '/graphql') return minimize(ctx)
  const checks = ctx.url.pathname.match(CHECK_RUNS)
  if (checks && ctx.method === 'POST') return createCheckRun(ctx, checks[1], checks[2])
  return undefined
}

function minimize(ctx: RouteContext): Reply | undefined {
  const { query, variables } = (ctx.body ?? {}) as { query?: unknown; variables?: unknown }
  if (typeof query !== 'string' || !/\bminimizeComment\b/.test(query)) return undefined
  const classifier = /classifier:\s*([A-Z_]+)/.exec(query)?.[1] ?? ''
  const subjectId = (variables as { id?: unknown } | undefined)?.id
  const error = (type: string, message: string) => ({
    status: 200,
    body: {
      data: { minimizeComment: null },
      errors: [{ type, path: ['minimizeComment'], message }],
    },
  })
  const id = typeof subjectId === 'string' ? Number(/^IC_fake(\d+)$/.exec(subjectId)?.[1]) : NaN
  const comment = ctx.state.comments.find((c) => c.id === id)
  if (!comment) {
    return error(
      'NOT_FOUND',
      `Could not resolve to a node with the global id of '${String(subjectId)}'`,
    )
  }
  if (!ctx.token.canWrite) return error('FORBIDDEN', NOT_ACCESSIBLE)
  if (!['SPAM', 'ABUSE', 'OFF_TOPIC', 'OUTDATED', 'DUPLICATE', 'RESOLVED'].includes(classifier)) {
    return error(
      'INVALID',
      `Argument 'classifier' on InputObject 'MinimizeCommentInput' is invalid`,
    )
  }
  commentExtras(ctx.state).minimized.push({ id, classifier })
  return {
    status: 200,
    body: { data: { minimizeComment: { minimizedComment: { isMinimized: true } } } },
  }
}

function createCheckRun(ctx: RouteContext, owner: string, repo: string): Reply {
  if (ctx.repos && !ctx.repos.includes(`${owner}/${repo}`)) return notFound
  const extras = commentExtras(ctx.state)
  if (!ctx.token.canWrite || !extras.checksWrite) {
    return { status: 403, body: { message: NOT_ACCESSIBLE, documentation_url: DOCS } }
  }
  const body = (ctx.body ?? {}) as Record<string, unknown>
  const output = (body.output ?? {}) as { title?: string; summary?: string }
  const invalid = (message: string) => ({
    status: 422,
    body: { message: 'Invalid request.', errors: [message], documentation_url: DOCS },
  })
  if (typeof body.name !== 'string' || typeof body.head_sha !== 'string') {
    return invalid('"name" and "head_sha" are required')
  }
  if ((output.summary?.length ?? 0) > MAX_CHECK_SUMMARY_CHARS) {
    return invalid(`output.summary is too long (maximum is ${MAX_CHECK_SUMMARY_CHARS} characters)`)
  }
  const id = 5000 + extras.checkRuns.length
  const run: FakeCheckRun = {
    ...{ id, owner, repo, name: body.name, headSha: body.head_sha },
    ...{
      status: String(body.status ?? 'queued'),
      conclusion: body.conclusion as string | undefined,
    },
    ...{ title: output.title, summary: output.summary },
  }
  extras.checkRuns.push(run)
  const html_url = `https://github.com/${owner}/${repo}/runs/${id}`
  return {
    status: 201,
    body: { id, html_url, name: run.name, head_sha: run.headSha, conclusion: run.conclusion },
  }
}
