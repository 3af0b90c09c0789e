import { createHash } from 'node:crypto'
import type { FakeGitHubState } from './fake-github.js'
import {
  DOCS,
  NOT_ACCESSIBLE,
  notFound,
  type Reply,
  type RouteContext,
} from './fake-github-routes.js'

/**
 * The Git Data API and the contents API, as the size-history store uses them (issue 11): refs
 * (GET one, POST to create, PATCH without force: only a fast-forward, else GitHub's 422 "Update
 * is not a fast forward"), commits, trees (with base_tree), blobs, GET contents (raw media type,
 * or a folder's listing), and GET /repos/{owner}/{repo} (default branch main). Trees are kept
 * flat (path → blob), beside the server's state without changing its shape, like the pulls.
 * Faults: `moveRefBeforeUpdate` makes another writer win the race between a read and a write.
 */

interface Commit {
  tree: string
  parents: string[]
  message: string
}

export interface FakeGitRepo {
  blobs: Map<string, string>
  /** A tree's files, path → blob SHA */
  trees: Map<string, Map<string, string>>
  commits: Map<string, Commit>
  /** `heads/main` → commit SHA */
  refs: Map<string, string>
  /** Run before the next PATCH or POST of a ref, once each (another writer's commit) */
  beforeRefUpdate: Array<(repo: FakeGitRepo) => void>
}

const REPOS = new WeakMap<FakeGitHubState, Map<string, FakeGitRepo>>()

export function gitRepo(state: FakeGitHubState, fullName: string): FakeGitRepo {
  let repos = REPOS.get(state)
  if (!repos) REPOS.set(state, (repos = new Map()))
  let repo = repos.get(fullName)
  if (!repo) {
    repo = {
      blobs: new Map(),
      trees: new Map(),
      commits: new Map(),
      refs: new Map(),
      beforeRefUpdate: [],
    }
    repos.set(fullName, repo)
  }
  return repo
}

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex')

/** Commits `files` (path → text) on top of the branch (created when missing); returns the commit. */
export function commitFiles(
  repo: FakeGitRepo,
  branch: string,
  files: Record<string, string>,
  message = 'seed',
): string {
  const parent = repo.refs.get(`heads/${branch}`)
  const base = parent ? repo.trees.get(repo.commits.get(parent)?.tree ?? '') : undefined
  const entries = new Map(base)
  for (const [path, text] of Object.entries(files)) entries.set(path, addBlob(repo, text))
  const commit = addCommit(repo, {
    tree: addTree(repo, entries),
    parents: parent ? [parent] : [],
    message,
  })
  repo.refs.set(`heads/${branch}`, commit)
  return commit
}

/** A file's text at the head of `branch`, or undefined. */
export function branchFile(repo: FakeGitRepo, branch: string, path: string): string | undefined {
  const tree = treeAt(repo, branch)
  const blob = tree?.get(path)
  return blob ? repo.blobs.get(blob) : undefined
}

/** Every file of the branch's head, path → text. */
export function branchFiles(repo: FakeGitRepo, branch: string): Record<string, string> {
  return Object.fromEntries(
    [...(treeAt(repo, branch) ?? new Map<string, string>())].map(([path, blob]) => [
      path,
      repo.blobs.get(blob) ?? '',
    ]),
  )
}

/** The branch's commits, newest first (first parents). */
export function branchLog(repo: FakeGitRepo, branch: string): Array<Commit & { sha: string }> {
  const log: Array<Commit & { sha: string }> = []
  for (let sha = repo.refs.get(`heads/${branch}`); sha;) {
    const commit = repo.commits.get(sha)
    if (!commit) break
    log.push({ sha, ...commit })
    sha = commit.parents[0]
  }
  return log
}

function treeAt(repo: FakeGitRepo, ref: string): Map<string, string> | undefined {
  const sha = repo.refs.get(`heads/${ref}`) ?? (repo.commits.has(ref) ? ref : undefined)
  return sha ? repo.trees.get(repo.commits.get(sha)?.tree ?? '') : undefined
}

function addBlob(repo: FakeGitRepo, text: string): string {
  const sha = sha1(`blob ${text}`)
  repo.blobs.set(sha, text)
  return sha
}

function addTree(repo: FakeGitRepo, entries: Map<string, string>): string {
  const sha = sha1(`tree ${JSON.stringify([...entries].sort())}`)
  repo.trees.set(sha, entries)
  return sha
}

function addCommit(repo: FakeGitRepo, commit: Commit): string {
  const sha = sha1(`commit ${JSON.stringify(commit)} ${repo.commits.size}`)
  repo.commits.set(sha, commit)
  return sha
}

const GIT =
  /^\/repos\/([^/]+)\/([^/]+)\/(git\/(?:ref|refs|commits|trees|blobs)|contents)(?:\/(.*))?$/

const invalid = (message: string): Reply => ({
  status: 422,
  body: { message, documentation_url: DOCS },
})
// Functions, not constants: fake-github-routes.ts imports this file, so its exports are read late.
const forbidden = (): Reply => ({
  status: 403,
  body: { message: NOT_ACCESSIBLE, documentation_url: DOCS },
})

/** The Git Data and contents routes; undefined for any other path. */
export function routeGit(ctx: RouteContext): Reply | undefined {
  const repository = /^\/repos\/([^/]+)\/([^/]+)$/.exec(ctx.url.pathname)
  if (repository && ctx.method === 'GET') {
    const [, owner, name] = repository
    if (ctx.repos && !ctx.repos.includes(`${owner}/${name}`)) return notFound
    const full_name = `${owner}/${name}`
    return {
      status: 200,
      body: { name, full_name, owner: { login: owner }, default_branch: 'main' },
    }
  }
  const match = GIT.exec(ctx.url.pathname)
  if (!match) return undefined
  const [, owner, name, kind, rest = ''] = match
  if (ctx.repos && !ctx.repos.includes(`${owner}/${name}`)) return notFound
  const repo = gitRepo(ctx.state, `${owner}/${name}`)
  const tail = rest.split('/').map(decodeURIComponent).join('/')
  const body = (ctx.body ?? {}) as Record<string, unknown>
  if (ctx.method !== 'GET' && !ctx.token.canWrite) return forbidden()
  const route = `${ctx.method} ${kind}`
  switch (route) {
    case 'GET contents':
      return readContents(ctx, repo, tail)
    case 'GET git/ref':
      return getRef(repo, tail, owner, name)
    case 'POST git/refs':
      return createRef(repo, body)
    case 'PATCH git/refs':
      return updateRef(repo, tail, body)
    case 'GET git/commits': {
      const commit = repo.commits.get(tail)
      if (!commit) return notFound
      const parents = commit.parents.map((sha) => ({ sha }))
      return {
        status: 200,
        body: { sha: tail, tree: { sha: commit.tree }, parents, message: commit.message },
      }
    }
    case 'POST git/commits':
      return createCommit(repo, body)
    case 'POST git/trees':
      return createTree(repo, body)
    case 'POST git/blobs': {
      if (typeof body.content !== 'string')
        return invalid('Invalid request.\n\n"content" wasn\'t supplied.')
      const text =
        body.encoding === 'base64'
          ? Buffer.from(body.content, 'base64').toString('utf8')
          : body.content
      return { status: 201, body: { sha: addBlob(repo, text) } }
    }
    default:
      return notFound
  }
}

function getRef(repo: FakeGitRepo, ref: string, owner: string, name: string): Reply {
  const sha = repo.refs.get(ref)
  if (!sha) return notFound
  const url = `/repos/${owner}/${name}/git/refs/${ref}`
  return { status: 200, body: { ref: `refs/${ref}`, url, object: { sha, type: 'commit' } } }
}

function createRef(repo: FakeGitRepo, body: Record<string, unknown>): Reply {
  const { ref, sha } = body
  if (typeof ref !== 'string' || !/^refs\/heads\/./.test(ref) || typeof sha !== 'string')
    return invalid('Reference name and sha are required')
  repo.beforeRefUpdate.shift()?.(repo)
  const name = ref.slice('refs/'.length)
  if (repo.refs.has(name)) return invalid('Reference already exists')
  if (!repo.commits.has(sha)) return invalid('Object does not exist')
  repo.refs.set(name, sha)
  return { status: 201, body: { ref, object: { sha, type: 'commit' } } }
}

function updateRef(repo: FakeGitRepo, ref: string, body: Record<string, unknown>): Reply {
  const { sha, force } = body
  if (typeof sha !== 'string') return invalid('Invalid request.\n\n"sha" wasn\'t supplied.')
  repo.beforeRefUpdate.shift()?.(repo)
  const current = repo.refs.get(ref)
  if (!current) return invalid('Reference does not exist')
  if (!repo.commits.has(sha)) return invalid('Object does not exist')
  if (force !== true && !isAncestor(repo, current, sha))
    return invalid('Update is not a fast forward')
  repo.refs.set(ref, sha)
  return { status: 200, body: { ref: `refs/${ref}`, object: { sha, type: 'commit' } } }
}

function isAncestor(repo: FakeGitRepo, ancestor: string, of: string): boolean {
  const seen = new Set<string>()
  const queue = [of]
  while (queue.length > 0) {
    const sha = queue.shift() ?? ''
    if (sha === ancestor) return true
    if (seen.has(sha)) continue
    seen.add(sha)
    queue.push(...(repo.commits.get(sha)?.parents ?? []))
  }
  return false
}

function createCommit(repo: FakeGitRepo, body: Record<string, unknown>): Reply {
  const { message, tree, parents } = body
  if (typeof message !== 'string' || typeof tree !== 'string' || !repo.trees.has(tree))
    return invalid('Tree SHA does not exist')
  const list = Array.isArray(parents) ? parents.map(String) : []
  if (list.some((p) => !repo.commits.has(p)))
    return invalid('Parent SHA does not exist or is not a commit object')
  const sha = addCommit(repo, { message, tree, parents: list })
  return {
    status: 201,
    body: { sha, tree: { sha: tree }, parents: list.map((p) => ({ sha: p })), message },
  }
}

function createTree(repo: FakeGitRepo, body: Record<string, unknown>): Reply {
  const { base_tree: baseTree, tree } = body
  if (baseTree !== undefined && (typeof baseTree !== 'string' || !repo.trees.has(baseTree)))
    return invalid('base_tree is not a valid tree oid')
  if (!Array.isArray(tree)) return invalid('Invalid tree info')
  const entries = new Map(typeof baseTree === 'string' ? repo.trees.get(baseTree) : undefined)
  for (const item of tree as Array<Record<string, unknown>>) {
    if (typeof item.path !== 'string' || item.mode !== '100644' || item.type !== 'blob')
      return invalid('Invalid tree info')
    if (typeof item.sha === 'string') {
      if (!repo.blobs.has(item.sha)) return invalid('Invalid tree info')
      entries.set(item.path, item.sha)
    } else if (typeof item.content === 'string') entries.set(item.path, addBlob(repo, item.content))
    else return invalid('Invalid tree info')
  }
  return { status: 201, body: { sha: addTree(repo, entries) } }
}

/** GET contents: a file as raw text (with the raw media type), or a folder's listing. */
function readContents(ctx: RouteContext, repo: FakeGitRepo, path: string): Reply {
  const ref = ctx.url.searchParams.get('ref') ?? 'main'
  const tree = treeAt(repo, ref)
  if (!tree)
    return {
      status: 404,
      body: { message: `No commit found for the ref ${ref}`, documentation_url: DOCS },
    }
  const blob = tree.get(path)
  if (blob) {
    const text = repo.blobs.get(blob) ?? ''
    if (/raw/.test(String(ctx.accept ?? '')))
      return {
        status: 200,
        raw: text,
        body: undefined,
        headers: { 'content-type': 'text/plain; charset=utf-8' },
      }
    const content = Buffer.from(text).toString('base64')
    return { status: 200, body: { type: 'file', path, sha: blob, encoding: 'base64', content } }
  }
  const inFolder = [...tree.keys()].filter(
    (p) => p.startsWith(`${path}/`) && !p.slice(path.length + 1).includes('/'),
  )
  if (inFolder.length === 0) return notFound
  return {
    status: 200,
    body: inFolder.map((p) => ({
      type: 'file',
      path: p,
      name: p.split('/').pop(),
      sha: tree.get(p),
    })),
  }
}

/** The next `count` ref updates each find the branch moved by another writer first. */
export function moveRefBeforeUpdate(
  repo: FakeGitRepo,
  count: number,
  writer: (repo: FakeGitRepo) => void,
): void {
  for (let i = 0; i < count; i++) repo.beforeRefUpdate.push(writer)
}
