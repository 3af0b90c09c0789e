/**
 * The decoded bytes of a tar on their way to the tar parser, with a look at the blocks at any
 * header position, so the scan can stop at the end-of-archive marker as Go's archive/tar (and
 * so the engine) does. What follows the marker is not content: eStargz keeps its footer there,
 * other writers padding or their own trailers; tar-stream would go on parsing it.
 * https://pubs.opengroup.org/onlinepubs/9699919799/utilities/pax.html#tag_20_92_13_01
 *
 * Chunks are kept only from the position the scan may still look at (the end of the last entry
 * seen), so memory stays that of a few chunks whatever the size of an entry.
 */
import { Readable } from 'node:stream'

const BLOCK = 512
/** Two zero blocks end a tar */
export const END_MARKER_BYTES = 2 * BLOCK

interface Chunk {
  start: number
  data: Uint8Array
}

export class TarFeed {
  private readonly iterator: AsyncIterator<Uint8Array>
  private readonly chunks: Chunk[] = []
  private fetching: Promise<void> | undefined
  private ended = false
  private stopped = false
  /** Decoded bytes pulled so far */
  private pulled = 0
  /** Decoded bytes handed to the parser so far */
  private handed = 0
  /** Chunks that end at or before this position may be dropped once handed on */
  private keepFrom = 0

  constructor(source: AsyncIterable<Uint8Array>) {
    this.iterator = source[Symbol.asyncIterator]()
  }

  /** The bytes for the tar parser; it ends where `stop()` is called, or with the source. */
  stream(): Readable {
    return Readable.from(this.feed(), { objectMode: false, highWaterMark: 1 })
  }

  /** The scan will not look before `position` again. */
  release(position: number): void {
    this.keepFrom = Math.max(this.keepFrom, position)
    this.prune()
  }

  /** Whether two zero blocks start at `position` (a header position). */
  async isEndMarkerAt(position: number): Promise<boolean> {
    const end = position + END_MARKER_BYTES
    while (this.pulled < end && !this.ended) await this.fetch()
    if (this.pulled < end) return false
    for (const chunk of this.chunks) {
      const from = Math.max(position - chunk.start, 0)
      const to = Math.min(end - chunk.start, chunk.data.length)
      for (let i = from; i < to; i++) if (chunk.data[i] !== 0) return false
    }
    return true
  }

  /** Stops feeding the parser and reads the rest of the source without keeping it. */
  async drainAfterStop(): Promise<void> {
    this.stopped = true
    this.chunks.length = 0
    while (!this.ended) await this.fetch()
    this.chunks.length = 0
  }

  private async *feed(): AsyncGenerator<Uint8Array> {
    for (;;) {
      if (this.stopped) return
      const next = this.chunks.find((chunk) => chunk.start === this.handed)
      if (next === undefined) {
        if (this.ended) return
        await this.fetch()
        continue
      }
      this.handed += next.data.length
      this.prune()
      yield next.data
    }
  }

  /** One pull from the source; overlapping callers share it. */
  private fetch(): Promise<void> {
    this.fetching ??= this.pullOnce().finally(() => {
      this.fetching = undefined
    })
    return this.fetching
  }

  private async pullOnce(): Promise<void> {
    const result = await this.iterator.next()
    if (result.done) {
      this.ended = true
      return
    }
    if (result.value.length === 0) return
    if (!this.stopped) this.chunks.push({ start: this.pulled, data: result.value })
    this.pulled += result.value.length
  }

  private prune(): void {
    while (this.chunks.length > 0) {
      const first = this.chunks[0]
      const end = first.start + first.data.length
      if (end > this.handed || end > this.keepFrom) return
      this.chunks.shift()
    }
  }
}
