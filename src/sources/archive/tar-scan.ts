/**
 * One streaming pass over a tar, plain or gzip/zstd-compressed: every entry is handed to a
 * callback, which must drain it. Nothing is buffered beyond tar-stream's own chunks.
 */
import type { Readable } from 'node:stream'
import { extract as createExtract, type Extract } from 'tar-stream'
import { UserError } from '../../util/errors.js'
import { peekBytes, type Pull } from './byte-source.js'
import { detectCompression, openDecoder, type ZstdDecoder } from './decode.js'
import type { Compression } from './types.js'

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
/** Tar ends with two zero blocks; Go's archive/tar, GNU tar and tar-stream all write them. */
const END_MARKER_BYTES = 2 * BLOCK

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

/** Pipes `decoded` into a tar-stream extract, counting the bytes and noting a decoder error. */
function startExtract(decoded: Readable, failure: Failure, encoding: string) {
  const counter = { bytes: 0 }
  decoded.on('data', (chunk: Uint8Array) => {
    counter.bytes += chunk.length
  })
  // tar-stream reads `filenameEncoding` though its typings leave it out of the options
  const options: Parameters<typeof createExtract>[0] & { filenameEncoding: string } = {
    filenameEncoding: encoding,
  }
  const extract = createExtract(options)
  decoded.on('error', (error: Error) => {
    failure.decodeError = error
    extract.destroy(error)
  })
  decoded.pipe(extract)
  return { extract, counter }
}

/**
 * Streams the tar in `pull` (compression detected by magic bytes) and awaits `onEntry` for each
 * entry in turn; `onEntry` must read or `resume()` the entry to its end. Throws a `UserError`
 * that starts with `subject` for empty, non-tar, corrupt or truncated data; errors of the source
 * itself are rethrown unchanged.
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
  const { extract, counter } = startExtract(decoded, failure, options.filenameEncoding ?? 'utf-8')
  let lastEntryEnd = 0
  try {
    for await (const entry of extract) {
      failure.entries += 1
      lastEntryEnd = entryEnd(entry)
      await onEntry(entry)
    }
  } catch (error: unknown) {
    failure.sourceError = source.error
    throw describeFailure(error, failure)
  } finally {
    decoded.destroy()
  }
  // tar-stream stops quietly when the data ends exactly between two entries, so the end marker
  // is checked here: at least two (zero) blocks must follow the last entry's data.
  if (counter.bytes < lastEntryEnd + END_MARKER_BYTES) {
    throw new UserError(
      `${subject} is truncated: its tar data stops without the end-of-archive marker`,
    )
  }
  return { compression, blobBytes: source.bytes, entries: failure.entries }
}
