/**
 * The registry token flow: GET the challenge's realm with its service and scope (with basic
 * credentials when there are some, anonymously otherwise) and read `token` or `access_token`.
 * https://distribution.github.io/distribution/spec/auth/token/#requesting-a-token
 */
import { UserError } from '../../util/errors.js'
import { isRecord } from '../archive/json-shapes.js'
import type { Credentials } from '../credentials.js'
import type { Challenge } from './challenge.js'
import { readJson, TOKEN_LIMIT } from './http-body.js'
import { deniedError, unreachableError } from './registry-errors.js'

export interface TokenRequest {
  challenge: Challenge
  /** Scope to ask for when the challenge names none: `repository:<name>:pull` */
  scope: string
  registry: string
  repository: string
  credentials: Credentials | undefined
  fetch: typeof fetch
}

export function basicAuthorization(credentials: Credentials): string {
  const pair = `${credentials.username}:${credentials.password}`
  return `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`
}

/** The realm URL with `service` and one `scope` parameter per space-separated scope. */
export function tokenUrl(challenge: Challenge, scope: string): URL {
  const { realm, service } = challenge.params
  let url: URL
  try {
    url = new URL(realm ?? '')
  } catch (error: unknown) {
    throw new UserError(`The registry's token realm "${realm}" is not a URL`, { cause: error })
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UserError(`The registry's token realm ${url.href} is not an http(s) URL`)
  }
  if (service) url.searchParams.set('service', service)
  for (const part of (challenge.params.scope ?? scope).split(' ').filter(Boolean)) {
    url.searchParams.append('scope', part)
  }
  return url
}

export async function requestToken(request: TokenRequest): Promise<string> {
  const url = tokenUrl(request.challenge, request.scope)
  const headers: Record<string, string> = { accept: 'application/json' }
  if (request.credentials) headers.authorization = basicAuthorization(request.credentials)
  let response: Response
  try {
    response = await request.fetch(url, { headers })
  } catch (error: unknown) {
    throw unreachableError(`${url.origin}${url.pathname}`, error)
  }
  if (response.status === 401 || response.status === 403) {
    await response.body?.cancel()
    throw deniedError(request, response.status, request.credentials)
  }
  if (!response.ok) {
    await response.body?.cancel()
    throw new UserError(
      `The token service of ${request.registry} at ${url.origin}${url.pathname} answered ${[response.status, response.statusText].filter(Boolean).join(' ')}`,
    )
  }
  const body = await readJson(response, TOKEN_LIMIT, `the token from ${url.origin}`)
  const token = isRecord(body) ? (body.token ?? body.access_token) : undefined
  if (typeof token !== 'string' || token === '') {
    throw new UserError(
      `The token service of ${request.registry} at ${url.origin}${url.pathname} gave no token`,
    )
  }
  return token
}
