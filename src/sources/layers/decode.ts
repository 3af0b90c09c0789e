/**
 * Compression detection by magic bytes, and streaming decompression.
 */
import { Readable, pipeline, type Transform } from 'node:stream'
import * as zlib from 'node:zlib'
import { Decompress } from 'fzstd'

/** Compression of a stored layer blob, detected from its magic bytes. */
export type Compression = 'none' | 'gzip' | 'zstd'

const GZIP_MAGIC = Buffer.from([0x1f, 0x8b])
const ZSTD_MAGIC = Buffer.from([0x28, 0xb5, 0x2f, 0xfd])
/** Skippable frames (`0x184D2A5?` little-endian) may open a zstd stream, e.g. zstd:chunked. */
const ZSTD_SKIPPABLE_TAIL = Buffer.from([0x2a, 0x4d, 0x18])

/** Decompressed chunks are handed on in pieces of this size (zlib's default is 16 KiB; 256 KiB takes a quarter off the CPU of a gigabyte layer). */
const CHUNK_BYTES = 256 * 1024

function isZstdSkippableFrame(head: Buffer): boolean {
  return (
    head.length >= 4 && (head[0] & 0xf0) === 0x50 && head.subarray(1, 4).equals(ZSTD_SKIPPABLE_TAIL)
  )
}

export function detectCompression(head: Buffer): Compression {
  if (head.subarray(0, 2).equals(GZIP_MAGIC)) return 'gzip'
  if (head.subarray(0, 4).equals(ZSTD_MAGIC) || isZstdSkippableFrame(head)) return 'zstd'
  return 'none'
}

/** Which zstd decoder to use: node:zlib's where present (Node >= 22.15), else fzstd. */
export type ZstdDecoder = 'auto' | 'fzstd'

type TransformFactory = (options: { chunkSize: number }) => Transform

/** node:zlib's `createZstdDecompress`, looked up at run time: @types/node 20 does not declare it. */
function findNativeZstd(): TransformFactory | undefined {
  const candidate: unknown = Reflect.get(zlib, 'createZstdDecompress')
  return typeof candidate === 'function' ? (candidate as TransformFactory) : undefined
}

/**
 * The decompressed bytes of `chunks`. Errors of the source and of the decoder both come out as
 * an `error` event of the returned stream, with the original error object.
 */
export function openDecoder(
  compression: Compression,
  chunks: AsyncIterable<Uint8Array>,
  zstd: ZstdDecoder = 'auto',
): Readable {
  if (compression === 'none') return Readable.from(chunks)
  const native = zstd === 'auto' ? findNativeZstd() : undefined
  if (compression === 'zstd' && native === undefined) return Readable.from(fzstdChunks(chunks))
  const decoder =
    compression === 'gzip'
      ? zlib.createGunzip({ chunkSize: CHUNK_BYTES })
      : (native as TransformFactory)({ chunkSize: CHUNK_BYTES })
  // pipeline destroys `decoder` with the first error, so its reader learns of every failure.
  return pipeline(Readable.from(chunks), decoder, () => undefined)
}

/** fzstd's streaming decoder as an async generator (pure JS, used where node:zlib has no zstd). */
async function* fzstdChunks(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const out: Uint8Array[] = []
  const decoder = new Decompress((data) => {
    if (data.length > 0) out.push(data)
  })
  for await (const chunk of chunks) {
    decoder.push(chunk)
    yield* out.splice(0)
  }
  decoder.push(new Uint8Array(0), true)
  yield* out.splice(0)
}
