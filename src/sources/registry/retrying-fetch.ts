/**
 * A fetch for registry reads (GET and HEAD) that tries again after transient failures (see
 * retry-policy.ts), honouring `Retry-After`, and whose 200 bodies resume after a cut (see
 * resumable-body.ts). Other methods pass straight through. Redirects and auth stay with the
 * caller: each hop is its own request here, retried on its own.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import type { Logger } from '../../util/log.js'
import {
  backoffMs,
  DEFAULT_RETRY_POLICY,
  formatSeconds,
  isTransientStatus,
  parseRetryAfter,
  transientReason,
  TransientNetworkError,
  type RetryPolicy,
} from './retry-policy.js'
import { isResumable, rangeStart, strongEtag, withResumableBody } from './resumable-body.js'

export interface RetryingFetchOptions {
  log: Logger
  policy?: Partial<RetryPolicy>
}

type FetchInput = Parameters<typeof fetch>[0]

interface Sent {
  url: URL
  init: RequestInit
  /** `GET https://host/v2/…/blobs/sha256:…`, query left out (signed URLs carry secrets there) */
  label: string
}

export function withRetries(base: typeof fetch, options: RetryingFetchOptions): typeof fetch {
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.policy }
  const { log } = options
  const retrying = async (input: FetchInput, init: RequestInit = {}): Promise<Response> => {
    const method = (init.method ?? 'GET').toUpperCase()
    if (method !== 'GET' && method !== 'HEAD') return base(input, init)
    const url = new URL(input instanceof Request ? input.url : input.toString())
    const request: Sent = { url, init, label: `${method} ${url.origin}${url.pathname}` }
    const response = await fetchWithRetries(base, request, policy, log)
    if (method !== 'GET' || !isResumable(response, url)) return response
    return withResumableBody(response, {
      maxResumes: policy.attempts - 1,
      reopen: (offset, reason) => reopen(base, request, response, offset, reason, policy, log),
    })
  }
  return retrying as typeof fetch
}

/** One request, tried up to `policy.attempts` times while its failures are transient. */
async function fetchWithRetries(
  base: typeof fetch,
  request: Sent,
  policy: RetryPolicy,
  log: Logger,
): Promise<Response> {
  let waited = 0
  for (let attempt = 1; ; attempt += 1) {
    let reason: string
    let wait: number
    try {
      const response = await attemptOnce(base, request, policy)
      if (!isTransientStatus(response.status)) return response
      const asked = parseRetryAfter(response.headers.get('retry-after'))
      reason = [response.status, response.statusText].filter(Boolean).join(' ')
      if (asked !== undefined) reason += ` (Retry-After ${formatSeconds(asked)})`
      wait = asked ?? backoffMs(attempt, policy)
      const tooLong = asked !== undefined && asked > policy.maxRetryAfterMs
      if (tooLong || !mayRetry(attempt, waited + wait, policy)) {
        log.debug(`${request.label}: ${reason}; not retried`)
        return response
      }
      await response.body?.cancel()
    } catch (error: unknown) {
      const transient = transientReason(error)
      if (transient === undefined) throw error
      reason = transient
      wait = backoffMs(attempt, policy)
      if (!mayRetry(attempt, waited + wait, policy)) throw error
    }
    log.info(
      `${request.label}: ${reason}; retry ${attempt} of ${policy.attempts - 1} in ${formatSeconds(wait)}`,
    )
    waited += wait
    await sleep(wait)
  }
}

function mayRetry(attempt: number, totalWait: number, policy: RetryPolicy): boolean {
  return attempt < policy.attempts && totalWait <= policy.maxTotalWaitMs
}

/**
 * One try; response headers that take longer than `headersTimeoutMs`, or a body silent for
 * `bodyIdleMs`, count as a transient failure (the request is aborted).
 */
async function attemptOnce(
  base: typeof fetch,
  request: Sent,
  policy: Pick<RetryPolicy, 'headersTimeoutMs' | 'bodyIdleMs'>,
): Promise<Response> {
  const controller = new AbortController()
  const timeoutMs = policy.headersTimeoutMs
  const timeout = new TransientNetworkError(`no response in ${formatSeconds(timeoutMs)}`)
  const timer = setTimeout(() => controller.abort(timeout), timeoutMs)
  const { signal } = request.init
  let response: Response
  try {
    response = await base(request.url, {
      ...request.init,
      signal: signal ? AbortSignal.any([signal, controller.signal]) : controller.signal,
    })
  } catch (error: unknown) {
    throw controller.signal.aborted ? timeout : error
  } finally {
    clearTimeout(timer)
  }
  return withIdleBound(response, policy.bodyIdleMs, controller)
}

/** Statuses whose responses have no body (`new Response` refuses one) */
const NULL_BODY = new Set([101, 103, 204, 205, 304])

/**
 * The response with a body that fails with a transient error, and aborts its request, when no
 * chunk comes for `idleMs`: a registry that stops sending half way must not hold the run.
 */
function withIdleBound(response: Response, idleMs: number, controller: AbortController): Response {
  if (!response.body || NULL_BODY.has(response.status)) return response
  const reader = response.body.getReader()
  const body = new ReadableStream<Uint8Array>({
    async pull(out) {
      let timer: NodeJS.Timeout | undefined
      const idle = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => {
          const error = new TransientNetworkError(`no data for ${formatSeconds(idleMs)}`)
          controller.abort(error)
          reject(error)
        }, idleMs)
      })
      try {
        const { done, value } = await Promise.race([reader.read(), idle])
        if (done) out.close()
        else out.enqueue(value)
      } finally {
        clearTimeout(timer)
      }
    },
    cancel: (reason: unknown) => reader.cancel(reason),
  })
  const { status, statusText, headers } = response
  return new Response(body, { status, statusText, headers })
}

/** The rest of a cut body, from `offset` on: a matching 206's body, else undefined. */
async function reopen(
  base: typeof fetch,
  request: Sent,
  first: Response,
  offset: number,
  reason: string,
  policy: RetryPolicy,
  log: Logger,
): Promise<ReadableStream<Uint8Array> | undefined> {
  const headers = new Headers(request.init.headers)
  headers.set('range', `bytes=${offset}-`)
  const etag = strongEtag(first)
  if (etag) headers.set('if-range', etag)
  log.info(`${request.label}: body cut after ${offset} bytes (${reason}); asking for the rest`)
  const rest = await fetchWithRetries(
    base,
    { ...request, init: { ...request.init, headers } },
    policy,
    log,
  )
  const declared = first.headers.get('content-length')
  const start = rangeStart(rest, declared === null ? undefined : Number(declared))
  if (start === offset && rest.body) return rest.body
  await rest.body?.cancel()
  const range = rest.headers.get('content-range')
  log.info(
    `${request.label}: the rest came as ${rest.status}${range ? ` (${range})` : ''}, not from byte ${offset}; starting over`,
  )
  return undefined
}
