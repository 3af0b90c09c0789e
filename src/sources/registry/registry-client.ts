/**
 * A small client for one repository of an OCI distribution registry: GETs under
 * `/v2/<name>/`, answering auth challenges (Basic, or the Bearer token flow) and following
 * redirects (blob downloads often go to a CDN or object store).
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md
 */
import { isSafeForCredentials } from '../../model/registry-host.js'
import type { Logger } from '../../util/log.js'
import { quoteValue, UserError } from '../../util/errors.js'
import type { Credentials } from '../credentials/index.js'
import { parseChallenges, pickChallenge } from './challenge.js'
import { discard } from './http-body.js'
import { registryBaseUrl } from './endpoint.js'
import { deniedError, responseError, unreachableError } from './registry-errors.js'
import { basicAuthorization, requestToken } from './token.js'

export interface RegistryClientOptions {
  /** Registry as the reference names it: `docker.io`, `ghcr.io`, `127.0.0.1:5000` */
  registry: string
  repository: string
  /**
   * This registry's credentials, or how to look them up: called once, at the first auth
   * challenge, so an open registry never runs a credential helper.
   */
  credentials: Credentials | undefined | (() => Promise<Credentials | undefined>)
  fetch: typeof fetch
  /** Registries (host[:port]) spoken to over plain http besides loopback ones */
  insecureRegistries?: string[]
  log: Logger
}

export interface GetOptions {
  /** GET by default; HEAD asks for headers only (a manifest's digest) */
  method?: 'GET' | 'HEAD'
  accept?: string
  /** Names what is fetched in errors: `image isg/app:pr`, `layer sha256:…` */
  what: string
  /** A 404 means the image is not there (manifests), not that the registry is broken */
  missingIsNotFound?: boolean
}

const MAX_REDIRECTS = 5
const REDIRECTS = new Set([301, 302, 303, 307, 308])

export class RegistryClient {
  readonly baseUrl: string
  /** Learned from the first challenge; Basic is then sent up front */
  private scheme: 'none' | 'basic' | 'bearer' = 'none'
  /** Bearer tokens per scope; promises, so concurrent requests share one token request */
  private readonly tokens = new Map<string, Promise<string>>()
  /** Looked up at the first challenge; undefined before and when there are none */
  private credentials: Credentials | undefined
  private lookup: Promise<Credentials | undefined> | undefined

  constructor(private readonly options: RegistryClientOptions) {
    this.baseUrl = registryBaseUrl(options.registry, options.insecureRegistries)
  }

  /**
   * The credentials to answer a challenge with. They go only to this registry's own origin
   * (and the token service its challenge names), and never over plain HTTP except to loopback.
   */
  private async lookUpCredentials(): Promise<Credentials | undefined> {
    const given = this.options.credentials
    this.lookup ??= typeof given === 'function' ? given() : Promise.resolve(given)
    this.credentials = await this.lookup
    if (this.credentials && !isSafeForCredentials(new URL(this.baseUrl))) {
      throw new UserError(
        `The registry ${this.options.registry} asks for credentials, but it is reached over plain HTTP (insecure-registries) and image-size-gate sends credentials only over HTTPS or to loopback; serve it over HTTPS, or read it anonymously`,
      )
    }
    return this.credentials
  }

  get registry(): string {
    return this.options.registry
  }

  /** A 2xx response for `/v2/<name>/<path>`; anything else is thrown as a `UserError`. */
  async get(path: string, options: GetOptions): Promise<Response> {
    const url = `${this.baseUrl}/v2/${this.options.repository}/${path}`
    const scope = `repository:${this.options.repository}:pull`
    let response = await this.send(url, options, await this.authorization(scope))
    if (response.status === 401) {
      response = await this.send(url, options, await this.answer(response, scope))
    }
    if (response.ok) return response
    throw await responseError(
      response,
      {
        registry: this.options.registry,
        repository: this.options.repository,
        what: options.what,
        missingIsNotFound: options.missingIsNotFound ?? false,
      },
      this.credentials,
    )
  }

  /** What to send before any challenge: what the last challenge asked for. */
  private async authorization(scope: string): Promise<string | undefined> {
    const { credentials } = this
    if (this.scheme === 'basic' && credentials) return basicAuthorization(credentials)
    const token = this.scheme === 'bearer' ? this.tokens.get(scope) : undefined
    return token ? `Bearer ${await token}` : undefined
  }

  /** Answers a 401's challenge; a fresh token replaces a cached one that was refused. */
  private async answer(response: Response, scope: string): Promise<string> {
    const challenge = pickChallenge(parseChallenges(response.headers.get('www-authenticate')))
    await discard(response)
    const { registry, repository } = this.options
    const credentials = await this.lookUpCredentials()
    if (challenge?.scheme === 'bearer') {
      this.scheme = 'bearer'
      const token = requestToken({ ...this.options, credentials, challenge, scope })
      this.tokens.set(scope, token)
      token.catch(() => this.tokens.delete(scope))
      this.options.log.debug(`${registry}: bearer token for ${challenge.params.scope ?? scope}`)
      return `Bearer ${await token}`
    }
    if (challenge?.scheme === 'basic' && credentials && !credentials.password) {
      throw new UserError(
        `The registry ${registry} asks for Basic credentials, but its login (${credentials.from ?? 'Docker config'}) is an identity token, which only a Bearer token service takes`,
      )
    }
    if (challenge?.scheme === 'basic' && credentials && this.scheme !== 'basic') {
      this.scheme = 'basic'
      return basicAuthorization(credentials)
    }
    throw deniedError({ registry, repository }, 401, credentials)
  }

  /** One request, following redirects; credentials never leave the registry's origin. */
  private async send(
    url: string,
    options: GetOptions,
    authorization: string | undefined,
  ): Promise<Response> {
    const origin = new URL(url).origin
    let current = new URL(url)
    for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
      const headers: Record<string, string> = {}
      if (options.accept) headers.accept = options.accept
      // Never to another origin (a blob's storage host), nor to this host over another scheme
      if (authorization && current.origin === origin) headers.authorization = authorization
      const response = await this.fetchOnce(current, headers, options.method ?? 'GET')
      const location = REDIRECTS.has(response.status) ? response.headers.get('location') : null
      if (location === null) return response
      await discard(response)
      const next = parseLocation(location, current)
      if (!next) {
        throw new UserError(
          `The registry ${this.options.registry} redirected ${options.what} to ${quoteValue(location)}, which is not a URL`,
        )
      }
      current = next
      this.options.log.debug(`${this.options.registry}: redirected to ${current.origin}`)
    }
    throw new UserError(`The registry ${this.options.registry} redirected ${url} too many times`)
  }

  private async fetchOnce(
    url: URL,
    headers: Record<string, string>,
    method: 'GET' | 'HEAD',
  ): Promise<Response> {
    try {
      const response = await this.options.fetch(url, { method, headers, redirect: 'manual' })
      // origin and path only: redirect targets carry signatures in their query
      this.options.log.debug(`${method} ${url.origin}${url.pathname} → ${response.status}`)
      return response
    } catch (error: unknown) {
      throw unreachableError(`${url.origin}${url.pathname}`, error)
    }
  }
}

/** A Location header's target, or undefined when it is not a URL (no throw: it is the registry's text). */
function parseLocation(location: string, base: URL): URL | undefined {
  try {
    return new URL(location, base)
  } catch {
    return undefined
  }
}
