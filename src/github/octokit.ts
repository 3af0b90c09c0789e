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
  /** Milliseconds one attempt of one request may take (default REQUEST_TIMEOUT_MS). */
  requestTimeoutMs?: number
  /**
   * Milliseconds all of this client's work may take, waits included (default GITHUB_BUDGET_MS),
   * counted from its creation: a rate-limit wait that would end later is not waited.
   */
  budgetMs?: number
  log?: Logger
}

/**
 * GitHub ends any REST request that takes more than 10 s on its side
 * (https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api#timeouts);
 * an attempt without an answer after 15 s will not get one.
 */
export const REQUEST_TIMEOUT_MS = 15_000
/** All of the comment's GitHub work, retries and rate-limit waits included. */
export const GITHUB_BUDGET_MS = 120_000

/** Rate-limit retries before giving up; each waits as long as GitHub asks, within the budget. */
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
  const budget = startBudget(options.budgetMs ?? GITHUB_BUDGET_MS)
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
      onRateLimit: onLimit('rate limit', unitMs, budget, log),
      onSecondaryRateLimit: onLimit('secondary rate limit', unitMs, budget, log),
    },
  }
  const octokit = getOctokit(token, octokitOptions, retry, throttling)
  const timeoutMs = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS
  octokit.hook.wrap('request', (request, endpoint) => {
    // The defaults' proxy-aware fetch is kept and wrapped, for every attempt of every request.
    const fetch = (endpoint.request?.fetch ?? globalThis.fetch) as typeof globalThis.fetch
    endpoint.request = { ...endpoint.request, fetch: timedFetch(fetch, timeoutMs, budget) }
    return request(endpoint)
  })
  return octokit
}

interface Budget {
  /** Epoch milliseconds after which no GitHub work is started or waited for. */
  endsAt: number
  signal: AbortSignal
}

function startBudget(budgetMs: number): Budget {
  // AbortSignal.timeout's timer does not keep the process alive.
  return { endsAt: Date.now() + budgetMs, signal: AbortSignal.timeout(budgetMs) }
}

/**
 * fetch with a deadline per attempt and for the whole budget, body included. A request that
 * runs out of time fails with an `AbortError`, which @octokit/request passes through as is and
 * plugin-retry does not retry: GitHub has already had longer than it gives itself.
 */
function timedFetch(
  fetch: typeof globalThis.fetch,
  timeoutMs: number,
  budget: Budget,
): typeof globalThis.fetch {
  return async (input, init) => {
    const where = `${init?.method ?? 'GET'} ${String(input instanceof Request ? input.url : input)}`
    const signals = [AbortSignal.timeout(timeoutMs), budget.signal]
    if (init?.signal) signals.push(init.signal)
    try {
      const response = await fetch(input, { ...init, signal: AbortSignal.any(signals) })
      return await readWhole(response)
    } catch (error) {
      if (!signals.some((signal) => signal.aborted)) throw error
      const message = budget.signal.aborted
        ? `GitHub did not answer ${where} before the time for GitHub ran out`
        : `GitHub did not answer ${where} within ${timeoutMs / 1000} s`
      throw Object.assign(new Error(message), { name: 'AbortError', cause: error })
    }
  }
}

/** Statuses whose responses have no body (the Response constructor refuses one). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304])

/**
 * The response with its body read here, under the same deadline: @octokit/request turns a body
 * that stops half-way into an empty `data` without an error, which would read as success.
 */
async function readWhole(response: Response): Promise<Response> {
  const body = NULL_BODY_STATUSES.has(response.status) ? null : await response.arrayBuffer()
  const whole = new Response(body, {
    ...{ status: response.status, statusText: response.statusText },
    headers: response.headers,
  })
  Object.defineProperty(whole, 'url', { value: response.url })
  return whole
}

function onLimit(kind: string, unitMs: number, budget: Budget, log: Logger): LimitHandler {
  return (retryAfterSeconds, request, _octokit, retryCount) => {
    const where = `${request.method} ${request.url}`
    if (retryCount >= RATE_LIMIT_RETRIES) {
      log.warning(`GitHub ${kind} on ${where}: giving up after ${retryCount} retries`)
      return false
    }
    const waitMs = retryAfterSeconds * unitMs
    const leftMs = budget.endsAt - Date.now()
    if (waitMs >= leftMs) {
      log.warning(
        `GitHub ${kind} on ${where}: it lifts in ${formatSeconds(waitMs)}, ` +
          `more than the ${formatSeconds(Math.max(0, leftMs))} left for GitHub; not waiting`,
      )
      return false
    }
    log.warning(
      `GitHub ${kind} on ${where}: waiting ${formatSeconds(waitMs)} ` +
        `(retry ${retryCount + 1} of ${RATE_LIMIT_RETRIES})`,
    )
    return true
  }
}

const formatSeconds = (ms: number) => `${Math.round(ms / 100) / 10} s`
