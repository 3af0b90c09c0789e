/**
 * The size-history store on a branch of the repository, through the Git Data API only: no
 * checkout, nothing but the repository itself. Reads use the contents API's raw media type (one
 * request for one file); writes make a blob, a tree on the parent's tree, a commit, and move the
 * branch without force (or create it, parentless, the first time).
 */
import type { HistoryStoreApi } from '../size-history/append-points.js'
import type { ReadLatestFile } from '../size-history/read-history.js'
import { httpStatus } from './github-errors.js'
import type { GitHubClient } from './octokit.js'

export interface HistoryRepository {
  owner: string
  repo: string
  /** The store's branch, e.g. `image-size-gate-history` (checked by the caller: [A-Za-z0-9._/-]) */
  branch: string
}

/** Each path segment escaped on its own, so a `/` stays a separator. */
const escapePath = (path: string) => path.split('/').map(encodeURIComponent).join('/')

export function gitHistoryStore(octokit: GitHubClient, where: HistoryRepository): HistoryStoreApi {
  const { owner, repo, branch } = where
  const refPath = `heads/${escapePath(branch)}`
  return {
    async readHead() {
      try {
        const { data } = await octokit.request(`GET /repos/{owner}/{repo}/git/ref/${refPath}`, {
          owner,
          repo,
        })
        return (data as { object: { sha: string } }).object.sha
      } catch (error) {
        if (httpStatus(error) === 404) return undefined
        throw error
      }
    },
    readFile: (commit, path) => readRaw(octokit, where, path, commit),
    async writeFile(parent, path, text, message) {
      const post = async (route: string, body: Record<string, unknown>) =>
        (
          (
            await octokit.request(`POST /repos/{owner}/{repo}/git/${route}`, {
              owner,
              repo,
              ...body,
            })
          ).data as { sha: string }
        ).sha
      const baseTree = parent
        ? (
            (
              await octokit.request(`GET /repos/{owner}/{repo}/git/commits/${escapePath(parent)}`, {
                owner,
                repo,
              })
            ).data as { tree: { sha: string } }
          ).tree.sha
        : undefined
      const blob = await post('blobs', { content: text, encoding: 'utf-8' })
      const tree = await post('trees', {
        ...(baseTree ? { base_tree: baseTree } : {}),
        tree: [{ path, mode: '100644', type: 'blob', sha: blob }],
      })
      const commit = await post('commits', { message, tree, parents: parent ? [parent] : [] })
      try {
        if (parent)
          await octokit.request(`PATCH /repos/{owner}/{repo}/git/refs/${refPath}`, {
            ...{ owner, repo, sha: commit, force: false },
          })
        else await post('refs', { ref: `refs/heads/${branch}`, sha: commit })
      } catch (error) {
        // 422: "Update is not a fast forward", or "Reference already exists" for a new branch.
        if (httpStatus(error) === 422) return 'moved'
        throw error
      }
      return 'written'
    },
  }
}

/** The newest version of one file of the store: one request. */
export function latestHistoryFile(octokit: GitHubClient, where: HistoryRepository): ReadLatestFile {
  return (path) => readRaw(octokit, where, path, where.branch)
}

/** Lists a folder of the store's branch: the names of its files (the CLI's keys). */
export async function listHistoryFolder(
  octokit: GitHubClient,
  where: HistoryRepository,
  folder: string,
): Promise<string[] | undefined> {
  try {
    const { data } = await octokit.request(
      `GET /repos/{owner}/{repo}/contents/${escapePath(folder)}`,
      {
        ...{ owner: where.owner, repo: where.repo, ref: where.branch },
      },
    )
    if (!Array.isArray(data)) return []
    return data
      .filter((item: { type?: unknown }) => item.type === 'file')
      .map((item: { path?: unknown }) => String(item.path))
  } catch (error) {
    if (httpStatus(error) === 404) return undefined
    throw error
  }
}

async function readRaw(
  octokit: GitHubClient,
  where: HistoryRepository,
  path: string,
  ref: string,
): Promise<string | undefined> {
  try {
    const { data } = await octokit.request(
      `GET /repos/{owner}/{repo}/contents/${escapePath(path)}`,
      {
        ...{ owner: where.owner, repo: where.repo, ref },
        mediaType: { format: 'raw' },
      },
    )
    if (typeof data === 'string') return data
    if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8')
    throw new Error(`GitHub answered ${path} with ${typeof data}, not the file's text`)
  } catch (error) {
    if (httpStatus(error) === 404) return undefined
    throw error
  }
}
