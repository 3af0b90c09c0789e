/**
 * Pulling bytes from a stream with a look at its first bytes, without buffering the rest.
 */

export type Pull = () => Promise<IteratorResult<Uint8Array, unknown>>

/**
 * Pulls from `source` one chunk at a time; overlapping calls queue up. A consumer that stops
 * early never cancels `source` (an early `return()` would destroy a tar-stream entry and with it
 * the whole outer archive), so whoever owns the source can drain or destroy it afterwards.
 */
export function serialPull(source: AsyncIterable<Uint8Array>): Pull {
  const iterator = source[Symbol.asyncIterator]()
  let last: Promise<unknown> = Promise.resolve()
  return () => {
    const result = last.then(() => iterator.next())
    // The caller sees the failure through `result`; the queue only waits for it to settle.
    last = result.catch(() => undefined)
    return result
  }
}

/** Checks that each chunk is bytes (tar-stream's entries are typed as iterables of `unknown`). */
export async function* bytesOf(chunks: AsyncIterable<unknown>): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) {
    if (!(chunk instanceof Uint8Array)) throw new TypeError('expected a stream of bytes')
    yield chunk
  }
}

/** Reads and drops everything `pull` still has. */
export async function drain(pull: Pull): Promise<void> {
  while (!(await pull()).done) {
    // dropping the chunk
  }
}

export interface PeekedSource {
  /** At least the first `n` bytes (fewer only when the source is shorter) */
  head: Buffer
  /** Every byte of the source, `head` included, each chunk as it came */
  rest: AsyncIterable<Uint8Array>
  /** Bytes pulled from the source so far */
  readonly bytes: number
  /** The error the source itself failed with, if it did */
  readonly error: unknown
}

function toBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length)
}

/** Pulls until `n` bytes are seen (or the end), then replays them ahead of the rest. */
export async function peekBytes(pull: Pull, n: number): Promise<PeekedSource> {
  const state = { bytes: 0, error: undefined as unknown, done: false }
  const counted: Pull = async () => {
    try {
      const result = await pull()
      if (!result.done) state.bytes += result.value.length
      return result
    } catch (error: unknown) {
      state.error = error
      throw error
    }
  }
  const held: Buffer[] = []
  let heldBytes = 0
  while (heldBytes < n && !state.done) {
    const result = await counted()
    if (result.done) state.done = true
    else if (result.value.length > 0) {
      held.push(toBuffer(result.value))
      heldBytes += result.value.length
    }
  }
  const head = held.length === 1 ? held[0] : Buffer.concat(held, heldBytes)
  return {
    head: head.subarray(0, n),
    rest: replay(held, state.done ? undefined : counted),
    get bytes() {
      return state.bytes
    },
    get error() {
      return state.error
    },
  }
}

async function* replay(held: Buffer[], pull: Pull | undefined): AsyncGenerator<Buffer> {
  yield* held
  if (pull === undefined) return
  for (;;) {
    const result = await pull()
    if (result.done) return
    if (result.value.length > 0) yield toBuffer(result.value)
  }
}
