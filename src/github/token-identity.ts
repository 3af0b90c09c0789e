import { httpStatus } from './github-errors.js'
import { errorMessage } from '../util/errors.js'
import type { GitHubClient } from './octokit.js'
import type { Logger } from '../util/log.js'

/** Who writes the comments: a user, or an App's bot (`github-actions[bot]`, `my-app[bot]`). */
export interface TokenIdentity {
  login: string
  /** The account's id, when a REST answer gave it (ids outlive renamed logins). */
  id?: number
}

/** A comment author as REST answers give it. */
export interface CommentAuthor {
  login: string
  id: number
  type?: string
}

/**
 * The token's own account, asked without guessing:
 * - GraphQL's `viewer` answers for every kind of token, installation tokens (an Actions
 *   GITHUB_TOKEN, a GitHub App's token) included, with the App's bot login;
 * - `GET /user` answers for user tokens (a PAT, an App acting for a user) where GraphQL does
 *   not (installation tokens get 403 or 404 there);
 * - when neither answers, undefined: the caller learns the identity from the comment it writes.
 * Never assumes `github-actions[bot]`. Throws only for answers that stop all work (401, 5xx).
 */
export async function getTokenIdentity(
  octokit: GitHubClient,
  log: Logger,
): Promise<TokenIdentity | undefined> {
  try {
    const answer = await octokit.graphql<{ viewer?: { login?: unknown } | null }>(
      'query { viewer { login } }',
    )
    const login = answer.viewer?.login
    if (typeof login === 'string' && login !== '') return { login }
    log.debug('GraphQL viewer answered without a login; asking GET /user')
  } catch (error) {
    log.debug(`GraphQL viewer failed (${errorMessage(error)}); asking GET /user`)
  }
  try {
    const { data } = await octokit.rest.users.getAuthenticated()
    return { login: data.login, id: data.id }
  } catch (error) {
    const status = httpStatus(error)
    if (status !== 403 && status !== 404) throw error
    log.debug(`GET /user answered ${status} too: identity unknown until the comment is written`)
    return undefined
  }
}

/** The identity of a comment's author, from a REST answer. */
export function identityOf(user: CommentAuthor | null | undefined): TokenIdentity | undefined {
  return user && user.login ? { login: user.login, id: user.id } : undefined
}

/**
 * Whether `identity` wrote a comment: by account id when known, else by login (case-insensitive,
 * as GitHub logins are). A bot's login may come with or without its `[bot]` suffix.
 */
export function isWrittenBy(
  user: CommentAuthor | null | undefined,
  identity: TokenIdentity,
): boolean {
  if (!user) return false
  if (identity.id !== undefined) return user.id === identity.id
  const a = user.login.toLowerCase()
  const b = identity.login.toLowerCase()
  if (a === b) return true
  const bare = (login: string) => login.replace(/\[bot\]$/, '')
  return user.type === 'Bot' && bare(a) === bare(b)
}
