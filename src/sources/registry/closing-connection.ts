/**
 * A response whose connection closes after it (`Connection: close`, or a body that ends with
 * the connection) is read off the connection as it arrives, whatever pace its reader keeps.
 *
 * Node 24's fetch (undici 7) crashes the process when such a connection ends while its response
 * parser is paused for backpressure (the reader is behind): the socket's 'end' handler asserts
 * `!this.paused` in `Parser.finish()`, an AssertionError no caller can catch, and the request
 * never settles. https://github.com/nodejs/undici/issues/5360 (fixed in later undici; Node 20's
 * undici 6 completes the message instead). Keeping a read pending on such a body at all times
 * means the parser never pauses. The chunks the reader has not taken yet wait here instead of in
 * undici; registries keep their connections open, so this is the rare case.
 */

/** Whether the connection closes after this response (RFC 9112 §9.6 and §6.3, last rule). */
export function endsConnection(response: Response): boolean {
  if (!response.body || response.status === 204 || response.status === 304) return false
  const connection = response.headers.get('connection') ?? ''
  if (/(^|,)\s*close\s*(,|$)/i.test(connection)) return true
  const encoding = response.headers.get('transfer-encoding') ?? ''
  return !response.headers.has('content-length') && !/chunked/i.test(encoding)
}

/** The response, its body read ahead of its reader when the connection closes after it. */
export function withReadAhead(response: Response): Response {
  if (!response.body || !endsConnection(response)) return response
  const reader = response.body.getReader()
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      void pump(reader, controller)
    },
    async cancel(reason: unknown) {
      await reader.cancel(reason)
    },
  })
  const { status, statusText, headers } = response
  return new Response(stream, { status, statusText, headers })
}

async function pump(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  controller: ReadableStreamDefaultController<Uint8Array>,
): Promise<void> {
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return controller.close()
      controller.enqueue(value)
    }
  } catch (error: unknown) {
    // A read that failed, or a stream cancelled meanwhile (then this does nothing)
    controller.error(error)
  }
}
