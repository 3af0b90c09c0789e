import type { FakeGitHubState } from './fake-github.js'
import { notFound, userId, type Reply, type RouteContext } from './fake-github-routes.js'

/**
 * Pull requests and their issue events, for deliberate increases: `GET /repos/{o}/{r}/pulls/{n}`
 * (description, author, labels) and `GET /repos/{o}/{r}/issues/{n}/events` (paged as GitHub
 * pages, with its Link header). Kept beside the server's state without changing its shape.
 */

export interface FakeIssueEvent {
  event: 'labeled' | 'unlabeled' | 'renamed' | 'head_ref_force_pushed'
  actor: string
  createdAt: string
  label?: string
}

export interface FakePull {
  owner: string
  repo: string
  number: number
  body: string | null
  author: string
  labels: string[]
  events: FakeIssueEvent[]
}

const PULLS = new WeakMap<FakeGitHubState, FakePull[]>()

function pullsOf(state: FakeGitHubState): FakePull[] {
  let pulls = PULLS.get(state)
  if (!pulls) PULLS.set(state, (pulls = []))
  return pulls
}

/** Adds (or replaces) a pull request; its events as given, labels as the events leave them. */
export function seedPull(
  state: FakeGitHubState,
  pull: Omit<FakePull, 'labels' | 'events'> & { labels?: string[]; events?: FakeIssueEvent[] },
): FakePull {
  const pulls = pullsOf(state)
  const seeded: FakePull = { labels: [], events: [], ...pull }
  const at = pulls.findIndex(
    (p) => p.owner === pull.owner && p.repo === pull.repo && p.number === pull.number,
  )
  if (at >= 0) pulls.splice(at, 1)
  pulls.push(seeded)
  return seeded
}

/** A `labeled` event by `actor` at `createdAt`, and the label on the PR. */
export function labelPull(pull: FakePull, label: string, actor: string, createdAt: string): void {
  pull.events.push({ event: 'labeled', label, actor, createdAt })
  if (!pull.labels.includes(label)) pull.labels.push(label)
}

const PULL = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)$/
const EVENTS = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/events$/

/** The routes of this file; undefined for any other request. */
export function routePulls(ctx: RouteContext): Reply | undefined {
  if (ctx.method !== 'GET') return undefined
  const match = ctx.url.pathname.match(PULL) ?? ctx.url.pathname.match(EVENTS)
  if (!match) return undefined
  const [path, owner, repo, number] = match
  if (ctx.repos && !ctx.repos.includes(`${owner}/${repo}`)) return notFound
  // Like every repository, every pull request exists: unseeded, one without labels or events.
  const pull = pullsOf(ctx.state).find(
    (p) => p.owner === owner && p.repo === repo && p.number === Number(number),
  ) ?? {
    owner,
    repo,
    number: Number(number),
    body: null,
    author: 'contributor',
    labels: [],
    events: [],
  }
  if (path.endsWith('/events')) return page(pull.events.map(toEvent), ctx)
  return { status: 200, body: toPull(pull, ctx.baseUrl) }
}

const user = (login: string) => ({ login, id: userId(login), type: 'User' })

function toPull(pull: FakePull, baseUrl: string) {
  const { owner, repo, number } = pull
  return {
    ...{ id: 5_000_000 + number, number, state: 'open', title: `PR ${number}` },
    url: `${baseUrl}/repos/${owner}/${repo}/pulls/${number}`,
    html_url: `https://github.com/${owner}/${repo}/pull/${number}`,
    body: pull.body,
    user: user(pull.author),
    labels: pull.labels.map((name, i) => ({ id: 700 + i, name, color: 'ededed' })),
  }
}

function toEvent(event: FakeIssueEvent, index: number) {
  return {
    ...{ id: 9_000_000 + index, event: event.event, actor: user(event.actor) },
    created_at: event.createdAt,
    ...(event.label ? { label: { name: event.label, color: 'ededed' } } : {}),
  }
}

/** One page (30 by default, 100 at most) with GitHub's Link header (next and last). */
function page(all: unknown[], ctx: RouteContext): Reply {
  const { url, baseUrl } = ctx
  const perPage = Math.min(Math.max(Number(url.searchParams.get('per_page')) || 30, 1), 100)
  const number = Math.max(Number(url.searchParams.get('page')) || 1, 1)
  const last = Math.max(Math.ceil(all.length / perPage), 1)
  const link = (p: number, rel: string) => {
    const target = new URL(url.pathname + url.search, baseUrl)
    target.searchParams.set('page', String(p))
    return `<${target.href}>; rel="${rel}"`
  }
  const headers: Record<string, string> =
    number < last ? { link: [link(number + 1, 'next'), link(last, 'last')].join(', ') } : {}
  return { status: 200, headers, body: all.slice((number - 1) * perPage, number * perPage) }
}
