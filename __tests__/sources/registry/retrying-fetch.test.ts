import { describe, expect, it } from '@jest/globals'
import {
  backoffMs,
  DEFAULT_RETRY_POLICY,
  parseRetryAfter,
  transientReason,
} from '../../../src/sources/registry/retry-policy.js'
import { withRetries } from '../../../src/sources/registry/retrying-fetch.js'
import { recordingLog } from '../../support/registry-tools.js'

/** Milliseconds instead of seconds, so the table runs fast; the shape is the real policy's. */
const FAST = { baseDelayMs: 2, maxDelayMs: 10, headersTimeoutMs: 200 }
const URL_ = 'https://reg.example/v2/app/blobs/sha256:abc'

type Step = Response | Error | 'hang'

/** A fetch that answers each call with the next step, and records what it was asked. */
function scripted(steps: Step[]) {
  const calls: { method: string; headers: Headers }[] = []
  const fetchFn = async (_input: unknown, init: RequestInit = {}): Promise<Response> => {
    calls.push({ method: init.method ?? 'GET', headers: new Headers(init.headers) })
    const step = steps.shift() ?? new Error('no more steps')
    if (step === 'hang') {
      return new Promise((_resolve, reject) => {
        init.signal?.addEventListener('abort', () => reject(init.signal?.reason))
      })
    }
    if (step instanceof Error) throw step
    return step
  }
  return { fetch: fetchFn as typeof fetch, calls }
}

/** fetch's own failure shape: TypeError("fetch failed") with the socket error as its cause. */
function networkError(code: string): Error {
  return new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) })
}

const status = (code: number, headers: Record<string, string> = {}) =>
  new Response(code === 204 ? null : 'body', { status: code, headers })

describe('withRetries', () => {
  it.each([
    // n, steps, method, calls made, final status (or error)
    [1, [status(503), status(502), status(200)], 'GET', 3, 200],
    [2, [status(429), status(504), status(200)], 'HEAD', 3, 200],
    [3, [networkError('ECONNRESET'), status(200)], 'GET', 2, 200],
    [4, [networkError('UND_ERR_SOCKET'), networkError('ETIMEDOUT'), status(200)], 'GET', 3, 200],
    [5, [status(404)], 'GET', 1, 404],
    [6, [status(401)], 'GET', 1, 401],
    [7, [status(403)], 'GET', 1, 403],
    [8, [status(500)], 'GET', 1, 500],
    [9, [status(503)], 'POST', 1, 503],
    [10, [networkError('ECONNREFUSED')], 'GET', 1, 'ECONNREFUSED'],
    [11, [networkError('ENOTFOUND')], 'GET', 1, 'ENOTFOUND'],
    [12, Array.from({ length: 9 }, () => status(503)), 'GET', 5, 503],
    [13, Array.from({ length: 9 }, () => networkError('ECONNRESET')), 'GET', 5, 'ECONNRESET'],
    [14, [status(503, { 'retry-after': '3600' })], 'GET', 1, 503],
    [15, ['hang', status(200)], 'GET', 2, 200],
  ] as const)('%i: %#', async (_n, steps, method, calls, outcome) => {
    const fake = scripted([...steps])
    const fetchFn = withRetries(fake.fetch, { log: recordingLog(), policy: FAST })
    const result = fetchFn(URL_, { method }).then(
      (r) => r.status,
      (e: unknown) => transientReason(e) ?? Reflect.get(Reflect.get(e as object, 'cause'), 'code'),
    )
    expect(await result).toBe(typeof outcome === 'number' ? outcome : outcome)
    expect(fake.calls).toHaveLength(calls)
  })

  it('logs each retry with its reason, and waits what Retry-After asks', async () => {
    const fake = scripted([
      status(503, { 'retry-after': '0' }),
      networkError('ECONNRESET'),
      status(200),
    ])
    const log = recordingLog()
    const started = Date.now()
    await withRetries(fake.fetch, { log, policy: FAST })(URL_)
    expect(log.lines).toEqual([
      expect.stringMatching(
        /^info: GET https:\/\/reg\.example\/v2\/app\/blobs\/sha256:abc: 503 \(Retry-After 0\.0 s\); retry 1 of 4 in 0\.0 s$/,
      ),
      expect.stringMatching(/: ECONNRESET; retry 2 of 4 in 0\.0 s$/),
    ])
    expect(Date.now() - started).toBeLessThan(1000)
  })

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')
    expect(parseRetryAfter('120', now)).toBe(120_000)
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:30 GMT', now)).toBe(30_000)
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:00:00 GMT', now)).toBe(0)
    expect(parseRetryAfter('soon', now)).toBeUndefined()
    expect(parseRetryAfter(null, now)).toBeUndefined()
  })

  it('backs off exponentially, capped, with jitter in the upper half', () => {
    const policy = DEFAULT_RETRY_POLICY
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffMs(n, policy, () => 1))).toEqual([
      500, 1000, 2000, 4000, 8000, 8000,
    ])
    expect([1, 2, 3].map((n) => backoffMs(n, policy, () => 0))).toEqual([250, 500, 1000])
  })
})

/** A body that sends `bytes[0..cut)` and then fails like a reset connection. */
function cutBody(bytes: Buffer, cut: number): ReadableStream<Uint8Array> {
  let sent = false
  return new ReadableStream({
    pull(controller) {
      if (sent) return controller.error(networkError('ECONNRESET').cause)
      sent = true
      controller.enqueue(bytes.subarray(0, cut))
    },
  })
}

describe('a GET body cut part way', () => {
  const whole = Buffer.from('0123456789abcdefghij')
  const first = () =>
    new Response(cutBody(whole, 7), {
      headers: { etag: '"sha256:abc"', 'content-length': String(whole.length) },
    })
  const read = async (fetchFn: typeof fetch) =>
    Buffer.from(await (await fetchFn(URL_)).arrayBuffer()).toString()

  it('goes on from the byte it stopped at, with Range and If-Range', async () => {
    const rest = new Response(whole.subarray(7), {
      status: 206,
      headers: { 'content-range': `bytes 7-19/${whole.length}` },
    })
    const fake = scripted([first(), rest])
    const log = recordingLog()
    expect(await read(withRetries(fake.fetch, { log, policy: FAST }))).toBe(whole.toString())
    expect(fake.calls[1].headers.get('range')).toBe('bytes=7-')
    expect(fake.calls[1].headers.get('if-range')).toBe('"sha256:abc"')
    expect(log.lines.join('\n')).toMatch(
      /body cut after 7 bytes \(ECONNRESET\); asking for the rest/,
    )
  })

  it.each([
    ['a 200 (range ignored)', new Response(whole)],
    [
      'a 206 from another byte',
      new Response(whole.subarray(5), {
        status: 206,
        headers: { 'content-range': 'bytes 5-19/20' },
      }),
    ],
    [
      'a 206 of another length',
      new Response(whole.subarray(7), {
        status: 206,
        headers: { 'content-range': 'bytes 7-29/30' },
      }),
    ],
  ])('passes the failure on when the rest comes as %s', async (_name, answer) => {
    const fake = scripted([first(), answer])
    const log = recordingLog()
    await expect(read(withRetries(fake.fetch, { log, policy: FAST }))).rejects.toThrow('ECONNRESET')
    expect(log.lines.join('\n')).toMatch(/not from byte 7; starting over/)
  })

  it('does not resume a body that is not content-addressed nor validated', async () => {
    const fake = scripted([new Response(cutBody(whole, 7)), new Response(whole)])
    const fetchFn = withRetries(fake.fetch, { log: recordingLog(), policy: FAST })
    const tagged = fetchFn('https://reg.example/v2/app/manifests/latest')
    await expect(tagged.then((r) => r.arrayBuffer())).rejects.toThrow('ECONNRESET')
    expect(fake.calls).toHaveLength(1)
  })
})
