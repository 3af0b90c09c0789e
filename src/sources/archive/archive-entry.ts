/**
 * Reading one file of an image archive: sniff its first block, then measure it as a layer, parse
 * it as (capped) JSON, or drop it. The entry is always read to its end.
 */
import { createHash } from 'node:crypto'
import { UserError } from '../../util/errors.js'
import type { StoredEntry } from './archive-store.js'
import { bytesOf, drain, peekBytes, serialPull, type Pull } from '../layers/byte-source.js'
import { detectCompression, type ZstdDecoder } from '../layers/decode.js'
import { measureLayer } from '../layers/layer-content.js'
import { messageOf, type TarEntry } from '../layers/tar-scan.js'

/** Default cap on any JSON document read from an archive (manifests, configs, indexes) */
export const DEFAULT_MAX_JSON_BYTES = 8 * 1024 * 1024

const BLOCK = 512
const ZERO_BLOCK = Buffer.alloc(BLOCK)
const USTAR = Buffer.from('ustar', 'latin1')
/** `ustar\0` (POSIX) and `ustar ` (GNU) both start with these five bytes, at offset 257 */
const USTAR_OFFSET = 257

/** What reading a JSON document gave */
export type JsonRead = Extract<StoredEntry, { kind: 'json' } | { kind: 'unusable' }>

export type BlobKind = 'layer' | 'json' | 'other'

/** What a blob is, from its first 512 bytes. */
export function classifyHead(head: Buffer): BlobKind {
  if (detectCompression(head) !== 'none') return 'layer'
  if (head.subarray(USTAR_OFFSET, USTAR_OFFSET + USTAR.length).equals(USTAR)) return 'layer'
  // An empty layer is just the end-of-archive marker: zero blocks.
  if (head.subarray(0, BLOCK).equals(ZERO_BLOCK)) return 'layer'
  const first = head.toString('latin1').trimStart().charAt(0)
  return first === '{' || first === '[' ? 'json' : 'other'
}

/**
 * Parses `chunks` as JSON if it is at most `maxBytes` long. Stops reading at the cap: the caller
 * drains or closes what is left.
 */
export async function readCappedJson(
  chunks: AsyncIterable<Uint8Array>,
  path: string,
  maxBytes: number,
): Promise<JsonRead> {
  const kept: Uint8Array[] = []
  let bytes = 0
  for await (const chunk of chunks) {
    bytes += chunk.length
    if (bytes > maxBytes) {
      return { kind: 'unusable', reason: `${path} is over the ${maxBytes}-byte limit for JSON` }
    }
    kept.push(chunk)
  }
  const whole = Buffer.concat(kept, bytes)
  const digest = `sha256:${createHash('sha256').update(whole).digest('hex')}`
  try {
    return { kind: 'json', value: JSON.parse(whole.toString('utf8')), digest }
  } catch (error: unknown) {
    return { kind: 'unusable', reason: `${path} is not valid JSON (${messageOf(error)})` }
  }
}

export interface EntryOptions {
  maxJsonBytes: number
  zstd?: ZstdDecoder
  /** List every layer's entries too (`LayerStats.listing`) */
  list?: boolean
  /** Hash each blob as it passes (`LayerStats.digest`); default true */
  verifyDigests?: boolean
}

async function sniffAndRead(pull: Pull, path: string, options: EntryOptions): Promise<StoredEntry> {
  const peeked = await peekBytes(pull, BLOCK)
  switch (classifyHead(peeked.head)) {
    case 'layer':
      return {
        kind: 'layer',
        stats: await measureLayer(peeked.rest, {
          subject: path,
          zstd: options.zstd,
          list: options.list,
        }),
      }
    case 'json':
      return readCappedJson(peeked.rest, path, options.maxJsonBytes)
    default:
      return { kind: 'unusable', reason: `${path} is neither JSON nor a tar, gzip or zstd layer` }
  }
}

/**
 * Reads a regular-file entry of the outer archive. A blob that is itself corrupt is recorded as
 * unusable (an error only if a manifest needs it); a failure of the outer archive propagates.
 */
export async function readArchiveEntry(
  entry: TarEntry,
  path: string,
  options: EntryOptions,
): Promise<StoredEntry> {
  const hashed = options.verifyDigests === false ? undefined : hashing(bytesOf(entry))
  const pull = serialPull(hashed?.chunks ?? bytesOf(entry))
  let stored: StoredEntry
  try {
    stored = await sniffAndRead(pull, path, options)
  } catch (error: unknown) {
    if (!(error instanceof UserError)) throw error
    stored = { kind: 'unusable', reason: error.message }
  }
  await drain(pull)
  if (hashed && stored.kind === 'layer') stored.stats = { ...stored.stats, digest: hashed.digest() }
  return stored
}

/**
 * `chunks` passed through while their sha256 is computed; `digest()` (`sha256:<hex>`) once they
 * have all passed: a blob's bytes are checked against the digest that names them.
 */
export function hashing(chunks: AsyncIterable<Uint8Array>): {
  chunks: AsyncIterable<Uint8Array>
  digest: () => string
} {
  const hash = createHash('sha256')
  async function* pass() {
    for await (const chunk of chunks) {
      hash.update(chunk)
      yield chunk
    }
  }
  return { chunks: pass(), digest: () => `sha256:${hash.copy().digest('hex')}` }
}
