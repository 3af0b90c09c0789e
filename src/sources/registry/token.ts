/**
 * The registry token flow: GET the challenge's realm with its service and scope (with basic
 * credentials when there are some, anonymously otherwise) and read `token` or `access_token`.
 * An identity token (refresh token) is POSTed as an OAuth2 `refresh_token` grant instead.
 * Credentials go only to the realm's own origin, over HTTPS or to loopback; redirects are
 * followed by hand so that no Authorization header or token body reaches another origin.
 * https://distribution.github.io/distribution/spec/auth/token/#requesting-a-token
 * https://distribution.github.io/distribution/spec/auth/oauth/
 */
import { isSafeForCredentials } from '../../model/registry-host.js'
import { UserError } from '../../util/errors.js'
import { maskSecrets, type Logger } from '../../util/log.js'
import { isRecord } from '../../util/json-check.js'
import type { Credentials } from '../credentials/index.js'
import type { Challenge } from './challenge.js'
import { discard, readJson, TOKEN_LIMIT } from './http-body.js'
import { deniedError, unreachableError } from './registry-errors.js'

export interface TokenRequest {
  challenge: Challenge
  /** Scope to ask for when the challenge names none: `repository:<name>:pull` */
  scope: string
  registry: string
  repository: string
  credentials: Credentials | undefined
  fetch: typeof fetch
  /** Tokens received are masked through it */
  log?: Logger
}

/** Who we are to the token service (the OAuth2 `client_id` the spec asks for) */
export const CLIENT_ID = 'image-size-gate'
const MAX_REDIRECTS = 5
const REDIRECTS = new Set([301, 302, 303, 307, 308])

export function basicAuthorization(credentials: Credentials): string {
  const pair = `${credentials.username}:${credentials.password}`
  return `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`
}

/** The realm as a URL, checked to be http(s). */
function realmUrl(challenge: Challenge): URL {
  const { realm } = challenge.params
  let url: URL
  try {
    url = new URL(realm ?? '')
  } catch (error: unknown) {
    throw new UserError(`The registry's token realm "${realm}" is not a URL`, { cause: error })
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UserError(`The registry's token realm ${url.href} is not an http(s) URL`)
  }
  return url
}

/** The scopes to ask for: the challenge's, else the repository's pull scope. */
function scopesOf(challenge: Challenge, scope: string): string[] {
  return (challenge.params.scope ?? scope).split(' ').filter(Boolean)
}

/** The realm URL with `service` and one `scope` parameter per space-separated scope. */
export function tokenUrl(challenge: Challenge, scope: string): URL {
  const url = realmUrl(challenge)
  const { service } = challenge.params
  if (service) url.searchParams.set('service', service)
  for (const part of scopesOf(challenge, scope)) url.searchParams.append('scope', part)
  return url
}

export async function requestToken(request: TokenRequest): Promise<string> {
  const { credentials } = request
  const url = credentials?.identityToken
    ? realmUrl(request.challenge)
    : tokenUrl(request.challenge, request.scope)
  const where = `${url.origin}${url.pathname}`
  if (credentials && !isSafeForCredentials(url)) {
    throw new UserError(
      `The token service of ${request.registry} is at ${where}, plain HTTP: image-size-gate sends credentials only over HTTPS or to loopback`,
    )
  }
  const response = credentials?.identityToken
    ? await fetchSafely(request, url, refreshGrant(request, credentials.identityToken))
    : await fetchSafely(request, url, basicGet(credentials))
  if ([400, 401, 403].includes(response.status) && credentials?.identityToken) {
    await discard(response)
    throw new UserError(
      `The token service of ${request.registry} at ${where} refused the identity token from ${credentials.from ?? 'the Docker config'} (${response.status}): log in to ${request.registry} again`,
    )
  }
  if (response.status === 401 || response.status === 403) {
    await discard(response)
    throw deniedError(request, response.status, credentials)
  }
  if (!response.ok) {
    await discard(response)
    throw new UserError(
      `The token service of ${request.registry} at ${where} answered ${[response.status, response.statusText].filter(Boolean).join(' ')}`,
    )
  }
  return readToken(request, response, where)
}

async function readToken(request: TokenRequest, response: Response, where: string) {
  const body = await readJson(response, TOKEN_LIMIT, `the token from ${new URL(where).origin}`)
  const token = isRecord(body) ? (body.token ?? body.access_token) : undefined
  if (typeof token !== 'string' || token === '') {
    throw new UserError(`The token service of ${request.registry} at ${where} gave no token`)
  }
  const refresh = isRecord(body) && typeof body.refresh_token === 'string' ? body.refresh_token : ''
  maskSecrets(request.log, token, refresh)
  return token
}

interface TokenInit {
  method: 'GET' | 'POST'
  headers: Record<string, string>
  body?: URLSearchParams
}

function basicGet(credentials: Credentials | undefined): TokenInit {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (credentials?.password) headers.authorization = basicAuthorization(credentials)
  return { method: 'GET', headers }
}

/** POST grant_type=refresh_token, as the distribution OAuth2 spec and the Docker engine do. */
function refreshGrant(request: TokenRequest, refreshToken: string): TokenInit {
  const body = new URLSearchParams({
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: CLIENT_ID,
    scope: scopesOf(request.challenge, request.scope).join(' '),
  })
  if (request.challenge.params.service) body.set('service', request.challenge.params.service)
  return {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
    body,
  }
}

/**
 * One token request, redirects followed by hand: a GET keeps its Authorization only on the
 * realm's origin; a POST (its body holds the refresh token) follows only a 307/308 that stays
 * on it.
 */
async function fetchSafely(request: TokenRequest, url: URL, init: TokenInit): Promise<Response> {
  let current = url
  for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
    const { authorization: _dropped, ...anonymous } = init.headers
    const headers = current.origin === url.origin ? init.headers : anonymous
    let response: Response
    try {
      response = await request.fetch(current, { ...init, headers, redirect: 'manual' })
    } catch (error: unknown) {
      throw unreachableError(`${current.origin}${current.pathname}`, error)
    }
    const location = REDIRECTS.has(response.status) ? response.headers.get('location') : null
    if (location === null) return response
    await discard(response)
    const next = new URL(location, current)
    if (init.method === 'POST' && (next.origin !== url.origin || response.status < 307)) {
      throw new UserError(
        `The token service of ${request.registry} redirected the identity-token request to ${next.origin}${next.pathname}; the token is sent to ${url.origin} only`,
      )
    }
    current = next
  }
  throw new UserError(
    `The token service of ${request.registry} redirected ${url.href} too many times`,
  )
}
