/**
 * Which registry failures are worth another try, and how long to wait before it. Transient:
 * a connection reset or cut, a timeout, 429 and 502/503/504 (with their `Retry-After`).
 * Everything else (401, 403, 404, a refused connection, an unknown host) is an answer, not an
 * accident, and fails at once.
 * https://www.rfc-editor.org/rfc/rfc9110#field.retry-after
 */

export interface RetryPolicy {
  /** Tries in all for one request, the first included */
  attempts: number
  /** Wait before the first retry (milliseconds); doubled for each next one, then jittered */
  baseDelayMs: number
  /** Longest wait between two tries that the backoff gives (milliseconds) */
  maxDelayMs: number
  /** Longest `Retry-After` honoured (milliseconds); a registry asking for more is not retried */
  maxRetryAfterMs: number
  /** All waits for one request together stay under this (milliseconds) */
  maxTotalWaitMs: number
  /** A request whose response headers take longer is dropped and tried again (milliseconds) */
  headersTimeoutMs: number
  /**
   * A body that sends nothing for this long is dropped (milliseconds); a blob's is then resumed
   * where it stopped (resumable-body.ts)
   */
  bodyIdleMs: number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 30_000,
  maxTotalWaitMs: 60_000,
  headersTimeoutMs: 60_000,
  bodyIdleMs: 60_000,
}

/** Sets headersTimeoutMs and bodyIdleMs, in seconds (secondsFromEnv) */
export const REGISTRY_TIMEOUT_VARIABLE = 'IMAGE_SIZE_GATE_REGISTRY_TIMEOUT'

const TRANSIENT_STATUSES = new Set([429, 502, 503, 504])

/**
 * Node and undici codes of a connection that broke or stalled. ECONNREFUSED and ENOTFOUND are
 * left out: a registry that is not listening, or a name that does not resolve, is a setting to fix.
 */
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNABORTED',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
])

/** What undici's fetch says when a body stops before its end (the cause says why). */
const TRANSIENT_MESSAGES = new Set(['terminated', 'other side closed'])

export function isTransientStatus(status: number): boolean {
  return TRANSIENT_STATUSES.has(status)
}

/** Marks an error this tool raised for a request or body that broke off and may be tried again. */
export class TransientNetworkError extends Error {
  override name = 'TransientNetworkError'
  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(reason, options)
  }
}

/**
 * The reason (`ECONNRESET`, `terminated`, …) when `error` or one of its causes is a transient
 * network failure; undefined otherwise. Read by property: errors from node core are from another
 * realm under jest.
 */
export function transientReason(error: unknown): string | undefined {
  let current: unknown = error
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    if (current instanceof TransientNetworkError) return current.reason
    const code: unknown = Reflect.get(current, 'code')
    if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return code
    const message: unknown = Reflect.get(current, 'message')
    if (typeof message === 'string' && TRANSIENT_MESSAGES.has(message)) {
      const cause = transientReason(Reflect.get(current, 'cause'))
      return cause ?? message
    }
    current = Reflect.get(current, 'cause')
  }
  return undefined
}

/**
 * Milliseconds a `Retry-After` value asks for: delay-seconds or an HTTP-date (a date in the
 * past is 0). Undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  const text = value?.trim()
  if (!text) return undefined
  if (/^\d+$/.test(text)) return Number(text) * 1000
  const date = Date.parse(text)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/**
 * The wait before retry number `retry` (1 for the first): base × 2^(retry-1), capped, then
 * "equal jitter" (half fixed, half random) so parallel downloads do not retry in step.
 */
export function backoffMs(retry: number, policy: RetryPolicy, random = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1))
  return Math.round(ceiling / 2 + (random() * ceiling) / 2)
}

/** Seconds, for log lines: `0.8 s` */
export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`
}
