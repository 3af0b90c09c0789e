import { randomUUID } from 'node:crypto'
import { getOctokit } from '@actions/github'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import { silentLogger, type Logger } from '../util/log.js'

/** The client the publisher takes: @actions/github's Octokit with the REST methods and paginate. */
export type GitHubClient = ReturnType<typeof getOctokit>
type OctokitOptions = NonNullable<Parameters<typeof getOctokit>[1]>

export interface CreateOctokitOptions {
  /** REST API root; defaults to GITHUB_API_URL (read when called), else https://api.github.com. */
  baseUrl?: string
  /**
   * Milliseconds one "unit" of back-off lasts, for both plugins (default 1000). Retries of 5xx
   * wait unit × (attempt)², rate limits wait unit × the seconds GitHub asks for. Tests set ~10.
   */
  retryAfterBaseValueMs?: number
  log?: Logger
}

/** Rate-limit retries before giving up; each waits as long as GitHub asks. */
export const RATE_LIMIT_RETRIES = 2
/** Retries of 5xx and network errors (4 attempts in all). */
export const TRANSIENT_RETRIES = 3

type LimitHandler = (
  retryAfterSeconds: number,
  request: { method: string; url: string },
  octokit: unknown,
  retryCount: number,
) => boolean

/**
 * An Octokit with retries for transient errors and waits for rate limits.
 *
 * Quirks of @actions/github 9 that shape this:
 * - its `defaults` (base URL and proxy-aware `request.fetch`) are merged with a shallow
 *   Object.assign, so passing `request` or `baseUrl: undefined` would silently drop them;
 * - it reads GITHUB_API_URL when imported, so the variable is read again here, at call time.
 */
export function createOctokit(token: string, options: CreateOctokitOptions = {}): GitHubClient {
  const log = options.log ?? silentLogger
  const unitMs = options.retryAfterBaseValueMs ?? 1000
  const baseUrl = options.baseUrl ?? process.env['GITHUB_API_URL']
  const octokitOptions: OctokitOptions = {
    ...(baseUrl ? { baseUrl } : {}),
    log: {
      debug: (message: string) => log.debug(message),
      info: (message: string) => log.debug(message),
      warn: (message: string) => log.warning(message),
      error: (message: string) => log.warning(message),
    },
    retry: {
      retries: TRANSIENT_RETRIES,
      retryAfterBaseValue: unitMs,
      // 429 is a secondary rate limit: the throttling plugin waits for its retry-after instead.
      doNotRetry: [400, 401, 403, 404, 410, 422, 429, 451],
    },
    throttle: {
      // The limiter groups are shared per id across instances; one id per client keeps one
      // run's write spacing (1 s, 3 s for comments) from delaying another client's requests.
      id: `image-size-gate-${randomUUID()}`,
      retryAfterBaseValue: unitMs,
      onRateLimit: onLimit('rate limit', unitMs, log),
      onSecondaryRateLimit: onLimit('secondary rate limit', unitMs, log),
    },
  }
  return getOctokit(token, octokitOptions, retry, throttling)
}

function onLimit(kind: string, unitMs: number, log: Logger): LimitHandler {
  return (retryAfterSeconds, request, _octokit, retryCount) => {
    const where = `${request.method} ${request.url}`
    if (retryCount >= RATE_LIMIT_RETRIES) {
      log.warning(`GitHub ${kind} on ${where}: giving up after ${retryCount} retries`)
      return false
    }
    const waitSeconds = (retryAfterSeconds * unitMs) / 1000
    log.warning(
      `GitHub ${kind} on ${where}: waiting ${waitSeconds} s ` +
        `(retry ${retryCount + 1} of ${RATE_LIMIT_RETRIES})`,
    )
    return true
  }
}
