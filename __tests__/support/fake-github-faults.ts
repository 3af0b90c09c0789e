import { STATUS_CODES } from 'node:http'
import { DOCS, type Reply } from './fake-github-routes.js'

/**
 * Faults the fake GitHub injects ahead of its routes: an HTTP status, GitHub's two kinds of
 * rate limit (with the reset or retry-after it announces), and a request that never answers.
 */

export type Fault =
  | { kind: 'status'; status: number }
  | {
      kind: 'primary'
      status: 403 | 429
      /** Seconds until x-ratelimit-reset (default 1). */
      resetSeconds: number
    }
  | {
      kind: 'secondary'
      status: 403 | 429
      /** The retry-after header, in seconds (default 1). */
      retryAfterSeconds: number
    }
  /** The request is read and then left unanswered until the server closes. */
  | { kind: 'hang' }

export interface RateLimitFault {
  kind?: 'primary' | 'secondary'
  status?: 403 | 429
  /** Primary: seconds until the announced reset (default 1; 3600 = an hour away). */
  resetSeconds?: number
  /** Secondary: the retry-after header in seconds (default 1). */
  retryAfterSeconds?: number
}

export function rateLimitFault(limit: RateLimitFault = {}): Fault {
  const status = limit.status ?? 403
  return limit.kind === 'secondary'
    ? { kind: 'secondary', status, retryAfterSeconds: limit.retryAfterSeconds ?? 1 }
    : { kind: 'primary', status, resetSeconds: limit.resetSeconds ?? 1 }
}

/** GitHub's answer for a fault other than `hang`. */
export function faultReply(fault: Exclude<Fault, { kind: 'hang' }>): Reply {
  if (fault.kind === 'primary') {
    const headers = {
      'x-ratelimit-remaining': '0',
      'x-ratelimit-used': '5000',
      'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + fault.resetSeconds),
    }
    const message = 'API rate limit exceeded for installation ID 1.'
    const body = { message, documentation_url: `${DOCS}#rate-limiting` }
    return { status: fault.status, headers, body }
  }
  if (fault.kind === 'secondary') {
    const message =
      'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.'
    const headers = { 'retry-after': String(fault.retryAfterSeconds) }
    return { status: fault.status, headers, body: { message, documentation_url: DOCS } }
  }
  return { status: fault.status, body: { message: STATUS_CODES[fault.status] ?? 'Server Error' } }
}
