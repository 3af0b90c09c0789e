import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  faultReply,
  rateLimitFault,
  type Fault,
  type RateLimitFault,
} from './fake-github-faults.js'
import { routeFault } from './fake-github-route-faults.js'
import { DOCS, routeRequest, type Reply } from './fake-github-routes.js'

export { MAX_COMMENT_CHARS } from './fake-github-routes.js'

/**
 * A loopback stand-in for the parts of the GitHub REST API the action uses: issue comments
 * (list with GitHub's paging and Link header, create, update) and GET /user, with tokens,
 * read-only tokens, injected 5xx and rate limits, and GitHub's 65536-character body limit.
 * Self-contained (node:http only) so e2e tests can point `node dist/index.js` at it through
 * GITHUB_API_URL; spawn the child asynchronously, the server runs on the test's event loop.
 */

export interface FakeToken {
  login: string
  type: 'Bot' | 'User'
  /** false: POST/PATCH get 403, like a fork PR's GITHUB_TOKEN. */
  canWrite: boolean
  /** GET /user answers; default: only for users (installation tokens get 403). */
  canGetUser?: boolean
  /** What GET /user answers when it may not (default 403, as for installation tokens). */
  userStatus?: 403 | 404
  /** GraphQL `viewer` answers with this token's login (default true, as on GitHub). */
  canGetViewer?: boolean
}

/** Tokens known by default: an Actions GITHUB_TOKEN, a fork PR's one, and a personal token. */
export const FAKE_TOKENS = {
  actions: 'ghs_fake_actions_token',
  readOnly: 'ghs_fake_read_only_token',
  personal: 'ghp_fake_personal_token',
  /** A GitHub App's installation token: GET /user 403, GraphQL viewer its bot login. */
  app: 'ghs_fake_app_token',
  /** An App token that can learn nothing about itself (GET /user 404, no GraphQL viewer). */
  anonymousApp: 'ghs_fake_anonymous_app_token',
} as const

export interface FakeComment {
  id: number
  owner: string
  repo: string
  issueNumber: number
  body: string
  user: { login: string; type: 'Bot' | 'User' }
  createdAt: string
  updatedAt: string
}

export interface SeedComment {
  owner: string
  repo: string
  issueNumber: number
  body: string
  login: string
  type?: 'Bot' | 'User'
}

export interface RecordedRequest {
  method: string
  /** Path and query as sent, e.g. `/repos/o/r/issues/1/comments?per_page=100&page=2`. */
  path: string
  /** Parsed JSON body, if any. */
  body: unknown
  authorization: string | undefined
  /** The status the fake answered; 0 when it never answered (hangNext). */
  status: number
}

export interface FakeGitHubState {
  comments: FakeComment[]
  requests: RecordedRequest[]
  tokens: Record<string, FakeToken>
}

export interface FakeGitHubOptions {
  /** Replaces the default tokens (FAKE_TOKENS). */
  tokens?: Record<string, FakeToken>
  comments?: SeedComment[]
  /** Known `owner/repo` names; others get 404. Default: every repository exists. */
  repos?: string[]
}

export interface FakeGitHub {
  /** API root for GITHUB_API_URL / baseUrl, e.g. http://127.0.0.1:41234 */
  url: string
  state: FakeGitHubState
  /** The next n requests (any route) answer this status, e.g. 502. */
  failNext(n: number, status: number): void
  /** The next n requests hit a rate limit: primary = 403 + x-ratelimit-remaining 0. */
  rateLimitNext(n: number, limit?: RateLimitFault): void
  /** The next n requests are read and never answered (until close). */
  hangNext(n: number): void
  /** The next n requests that `match` answer this status (after the faults above). */
  failWhen(n: number, status: number, match: (method: string, path: string) => boolean): void
  /**
   * Holds the first `count` requests that match until all `count` have arrived, then answers
   * them in arrival order: makes concurrent runs interleave (both list, then both write).
   */
  holdUntil(count: number, match: (method: string, path: string) => boolean): void
  seed(...comments: SeedComment[]): FakeComment[]
  close(): Promise<void>
}

interface Targeted {
  left: number
  status: number
  match: (method: string, path: string) => boolean
}

interface Hold {
  count: number
  match: (method: string, path: string) => boolean
  waiting: Array<() => void>
}

const defaultTokens = (): Record<string, FakeToken> => ({
  [FAKE_TOKENS.actions]: { login: 'github-actions[bot]', type: 'Bot', canWrite: true },
  [FAKE_TOKENS.readOnly]: { login: 'github-actions[bot]', type: 'Bot', canWrite: false },
  [FAKE_TOKENS.personal]: { login: 'octocat', type: 'User', canWrite: true },
  [FAKE_TOKENS.app]: { login: 'isg-size-bot[bot]', type: 'Bot', canWrite: true },
  [FAKE_TOKENS.anonymousApp]: {
    ...{ login: 'isg-quiet-bot[bot]', type: 'Bot', canWrite: true },
    ...{ userStatus: 404, canGetViewer: false },
  },
})

export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const state: FakeGitHubState = {
    comments: [],
    requests: [],
    tokens: options.tokens ?? defaultTokens(),
  }
  const faults: Fault[] = []
  const targeted: Targeted[] = []
  let nextId = 1_000_001
  let url = ''
  const addSeed = (seed: Required<SeedComment>) => addComment(state, nextId++, seed)
  const seed = (...seeds: SeedComment[]): FakeComment[] =>
    seeds.map((s) => addSeed({ ...s, type: s.type ?? 'User' }))
  seed(...(options.comments ?? []))
  const serve = (req: IncomingMessage, raw: string) => {
    const server = { state, faults, targeted, repos: options.repos, baseUrl: url, addSeed }
    const reply = answer(server, req, raw)
    const body = parseJson(raw)
    state.requests.push({
      ...{ method: req.method ?? '', path: req.url ?? '' },
      ...{ body: body instanceof Error ? raw : body, authorization: req.headers.authorization },
      // 0: never answered
      status: reply?.status ?? 0,
    })
    return reply
  }
  const holds: Hold[] = []
  const server = createServer((req, res) => {
    readBody(req)
      .then((raw) => holdRequest(holds, req).then(() => raw))
      .then((raw) => serve(req, raw))
      .then((reply) => reply && send(res, reply))
      .catch((error: unknown) => send(res, { status: 500, body: { message: String(error) } }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    state,
    seed,
    failNext: (n, status) => faults.push(...repeat(n, { kind: 'status', status })),
    rateLimitNext: (n, limit) => faults.push(...repeat(n, rateLimitFault(limit))),
    hangNext: (n) => faults.push(...repeat(n, { kind: 'hang' })),
    failWhen: (n, status, match) => targeted.push({ left: n, status, match }),
    holdUntil: (count, match) => holds.push({ count, match, waiting: [] }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeAllConnections() // octokit's fetch keeps sockets alive
      }),
  }
}

const repeat = (n: number, fault: Fault): Fault[] => Array.from({ length: n }, () => fault)

/** Resolves at once, or when the hold this request joins is full. */
function holdRequest(holds: Hold[], req: IncomingMessage): Promise<void> {
  const hold = holds.find(
    (h) => h.waiting.length < h.count && h.match(req.method ?? '', req.url ?? ''),
  )
  if (!hold) return Promise.resolve()
  return new Promise((resolve) => {
    hold.waiting.push(resolve)
    if (hold.waiting.length === hold.count) hold.waiting.forEach((release) => release())
  })
}

function addComment(state: FakeGitHubState, id: number, seed: Required<SeedComment>) {
  const now = new Date(Date.UTC(2024, 0, 1) + id * 1000).toISOString()
  const { owner, repo, issueNumber, body, login, type } = seed
  const comment: FakeComment = {
    ...{ id, owner, repo, issueNumber, body, user: { login, type } },
    ...{ createdAt: now, updatedAt: now },
  }
  state.comments.push(comment)
  return comment
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

interface Server {
  state: FakeGitHubState
  faults: Fault[]
  targeted: Targeted[]
  repos: string[] | undefined
  baseUrl: string
  addSeed(seed: Required<SeedComment>): FakeComment
}

/**
 * Injected faults first (they hit any route), then authentication, then the routes.
 * undefined: leave the request unanswered.
 */
function answer(server: Server, req: IncomingMessage, raw: string): Reply | undefined {
  const injected = routeFault(server.state, req, raw)
  if (injected) return injected
  const fault = server.faults.shift() ?? targetedFault(server.targeted, req)
  if (fault?.kind === 'hang') return undefined
  if (fault) return faultReply(fault)
  const key = req.headers.authorization?.replace(/^(token|bearer) /i, '') ?? ''
  const token = server.state.tokens[key]
  if (!token) return { status: 401, body: { message: 'Bad credentials', documentation_url: DOCS } }
  const body = parseJson(raw)
  if (body instanceof Error) {
    return { status: 400, body: { message: 'Problems parsing JSON', documentation_url: DOCS } }
  }
  const url = new URL(req.url ?? '/', server.baseUrl)
  const { state, repos, baseUrl, addSeed } = server
  const method = req.method ?? 'GET'
  const ctx = { state, method, url, body, token, baseUrl, repos, addComment: addSeed }
  return routeFault(state, req, raw, routeRequest({ ...ctx, accept: req.headers.accept }))
}

function targetedFault(targeted: Targeted[], req: IncomingMessage): Fault | undefined {
  const target = targeted.find((t) => t.left > 0 && t.match(req.method ?? '', req.url ?? ''))
  if (!target) return undefined
  target.left--
  return { kind: 'status', status: target.status }
}

function parseJson(raw: string): unknown {
  try {
    return raw ? JSON.parse(raw) : undefined
  } catch (error) {
    return error
  }
}

function send(res: ServerResponse, reply: Reply): void {
  res.writeHead(reply.status, {
    'content-type': 'application/json; charset=utf-8',
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '4999',
    'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 3600),
    'x-github-request-id': `FAKE:${Math.random().toString(16).slice(2)}`,
    ...reply.headers,
  })
  res.end(reply.raw ?? JSON.stringify(reply.body))
}
