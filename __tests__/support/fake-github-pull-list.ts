/**
 * The fake GitHub's pull request list (GET /repos/{owner}/{repo}/pulls), for mode publish:
 * `state` and `head` (`user:ref-name`) filters and pagination as GitHub applies them. Pulls
 * are kept per fake server (its state object); hooked into routeRequest with one line.
 */
import type { FakeGitHub, FakeGitHubState } from './fake-github.js'
import type { Reply, RouteContext } from './fake-github-routes.js'

export interface FakePull {
  owner: string
  repo: string
  number: number
  state?: 'open' | 'closed'
  headSha: string
  headRef: string
  /** `owner/name` of the head repository (a fork, or the base repository itself) */
  headRepo: string
}

const PULLS = /^\/repos\/([^/]+)\/([^/]+)\/pulls$/
const pullsOf = new WeakMap<FakeGitHubState, FakePull[]>()

export function seedPulls(fake: FakeGitHub, ...pulls: FakePull[]): void {
  pullsOf.set(fake.state, [...(pullsOf.get(fake.state) ?? []), ...pulls])
}

/** The reply for a pulls route, or undefined when the request is not one */
export function routePullList(ctx: RouteContext): Reply | undefined {
  const match = ctx.url.pathname.match(PULLS)
  if (!match || ctx.method !== 'GET') return undefined
  const [, owner, repo] = match
  const state = ctx.url.searchParams.get('state') ?? 'open'
  const head = ctx.url.searchParams.get('head')
  const all = (pullsOf.get(ctx.state) ?? []).filter(
    (p) =>
      p.owner === owner &&
      p.repo === repo &&
      (state === 'all' || (p.state ?? 'open') === state) &&
      (!head || `${p.headRepo.split('/')[0]}:${p.headRef}` === head),
  )
  const perPage = Math.min(Math.max(Number(ctx.url.searchParams.get('per_page')) || 30, 1), 100)
  const page = Math.max(Number(ctx.url.searchParams.get('page')) || 1, 1)
  const items = all.slice((page - 1) * perPage, page * perPage)
  const headers: Record<string, string> = {}
  if (page * perPage < all.length) {
    const next = new URL(ctx.url.pathname + ctx.url.search, ctx.baseUrl)
    next.searchParams.set('page', String(page + 1))
    headers.link = `<${next.href}>; rel="next"`
  }
  return { status: 200, headers, body: items.map((p) => toJson(p, ctx.baseUrl)) }
}

function toJson(p: FakePull, baseUrl: string) {
  const [headOwner, headName] = p.headRepo.split('/')
  const repository = (owner: string, name: string) => ({
    name,
    full_name: `${owner}/${name}`,
    owner: { login: owner },
    fork: owner !== p.owner,
  })
  return {
    number: p.number,
    state: p.state ?? 'open',
    url: `${baseUrl}/repos/${p.owner}/${p.repo}/pulls/${p.number}`,
    head: {
      sha: p.headSha,
      ref: p.headRef,
      label: `${headOwner}:${p.headRef}`,
      repo: repository(headOwner, headName),
    },
    base: { sha: 'a'.repeat(40), ref: 'main', repo: repository(p.owner, p.repo) },
  }
}
