/**
 * One streaming pass over a tar, plain or gzip/zstd-compressed: every entry is handed to a
 * callback, which must drain it. Nothing is buffered beyond tar-stream's own chunks.
 */
import type { Readable } from 'node:stream'
import { extract as createExtract, type Extract } from 'tar-stream'
import { UserError } from '../../util/errors.js'
import { peekBytes, type Pull } from './byte-source.js'
import { detectCompression, openDecoder, type Compression, type ZstdDecoder } from './decode.js'
import { TarFeed } from './tar-feed.js'

/** One entry of a tar, as tar-stream hands it out: `header` and a readable of its data */
export type TarEntry = Extract extends AsyncIterable<infer T> ? T : never

export interface ScanOptions {
  /** `latin1` keeps names and link targets byte-exact (one char per byte); pax values are UTF-8 */
  filenameEncoding?: 'utf-8' | 'latin1'
  zstd?: ZstdDecoder
}

export interface ScanResult {
  compression: Compression
  /** Bytes pulled from the source (as stored, before decompression) */
  blobBytes: number
  entries: number
}

const BLOCK = 512

/**
 * The message of an error, also for errors from another realm (node core errors seen from a
 * jest vm context are not `instanceof Error` there).
 */
export function messageOf(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error) {
    if (typeof error.message === 'string') return error.message
  }
  return String(error)
}

/** Where an entry's data ends in the decompressed stream (tar-stream gives headers' offsets). */
function entryEnd(entry: TarEntry): number {
  const size = entry.header.type === 'directory' ? 0 : entry.header.size
  return entry.offset + BLOCK + Math.ceil(size / BLOCK) * BLOCK
}

interface Failure {
  subject: string
  compression: Compression
  entries: number
  sourceError: unknown
  decodeError?: unknown
}

/** Names what broke: the source (passed on as is), the decompressor, or the tar structure. */
function describeFailure(error: unknown, failure: Failure): unknown {
  const { subject, compression, entries } = failure
  if (error === failure.sourceError || error instanceof UserError) return error
  const detail = messageOf(error)
  if (error === failure.decodeError) {
    return new UserError(`${subject}: ${compression} data is corrupt or truncated (${detail})`, {
      cause: error,
    })
  }
  const cut = /unexpected end of data/i.test(detail)
  const reason = /invalid tar header/i.test(detail)
    ? 'invalid tar header'
    : cut
      ? `the data ends in the middle of ${entries === 0 ? 'the first header' : 'an entry'}`
      : detail
  if (entries === 0) {
    const kind =
      compression === 'none' ? 'a tar, gzip or zstd stream' : `a tar inside ${compression}`
    return new UserError(`${subject} is not ${kind} (${reason})`, { cause: error })
  }
  return new UserError(`${subject} is corrupt or truncated: ${reason}`, { cause: error })
}

/** Feeds `decoded` into a tar-stream extract through a `TarFeed`, noting a decoder error. */
function startExtract(decoded: Readable, failure: Failure, encoding: string) {
  const feed = new TarFeed(decoded)
  // tar-stream reads `filenameEncoding` though its typings leave it out of the options
  const options: Parameters<typeof createExtract>[0] & { filenameEncoding: string } = {
    filenameEncoding: encoding,
  }
  const extract = createExtract(options)
  decoded.on('error', (error: Error) => {
    failure.decodeError = error
    extract.destroy(error)
  })
  const input = feed.stream()
  input.on('error', (error: Error) => extract.destroy(error))
  input.pipe(extract)
  return { extract, feed, input }
}

/**
 * Streams the tar in `pull` (compression detected by magic bytes) and awaits `onEntry` for each
 * entry in turn; `onEntry` must read or `resume()` the entry to its end. Entries end at the
 * end-of-archive marker (two zero blocks), as for Go's archive/tar: what follows it (eStargz's
 * footer, padding, a trailer) is read to the end of the source but not parsed. Throws a
 * `UserError` that starts with `subject` for empty, non-tar, corrupt or truncated data; errors
 * of the source itself are rethrown unchanged.
 */
export async function scanTar(
  pull: Pull,
  subject: string,
  onEntry: (entry: TarEntry) => Promise<void>,
  options: ScanOptions = {},
): Promise<ScanResult> {
  const source = await peekBytes(pull, 4)
  if (source.head.length === 0) throw new UserError(`${subject} is empty (0 bytes)`)
  const compression = detectCompression(source.head)
  const failure: Failure = { subject, compression, entries: 0, sourceError: undefined }
  const decoded = openDecoder(compression, source.rest, options.zstd)
  const { extract, feed, input } = startExtract(
    decoded,
    failure,
    options.filenameEncoding ?? 'utf-8',
  )
  let ended: boolean
  try {
    ended = await readEntries(extract, feed, failure, onEntry)
    if (ended) {
      input.unpipe(extract)
      extract.destroy()
      await feed.drainAfterStop()
    }
  } catch (error: unknown) {
    failure.sourceError = source.error
    throw describeFailure(error, failure)
  } finally {
    extract.destroy()
    input.destroy()
    decoded.destroy()
  }
  // tar-stream stops quietly when the data ends exactly between two entries (or after one zero
  // block), so a scan that never met the end-of-archive marker is a truncated one.
  if (!ended) {
    throw new UserError(
      `${subject} is truncated: its tar data stops without the end-of-archive marker`,
    )
  }
  return { compression, blobBytes: source.bytes, entries: failure.entries }
}

/** Hands each entry to `onEntry` until the end marker (true) or the end of the data (false). */
async function readEntries(
  extract: Extract,
  feed: TarFeed,
  failure: Failure,
  onEntry: (entry: TarEntry) => Promise<void>,
): Promise<boolean> {
  const entries = extract[Symbol.asyncIterator]()
  let next = 0
  for (;;) {
    feed.release(next)
    if (await feed.isEndMarkerAt(next)) return true
    const result = await entries.next()
    if (result.done) return false
    const entry = result.value as TarEntry
    failure.entries += 1
    next = entryEnd(entry)
    feed.release(next)
    await onEntry(entry)
  }
}
