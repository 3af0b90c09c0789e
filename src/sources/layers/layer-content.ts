/**
 * Content size of one layer, counted from its tar stream as it goes by.
 *
 * The definition is the overlay2 graph driver's `docker history` Size, which walks the layer's
 * diff directory and adds up `lstat` sizes, each inode once:
 * https://github.com/moby/moby/blob/v20.10.24/pkg/directory/directory_unix.go
 * - regular files: their size;
 * - symlinks: the byte length of the target (what `lstat` reports);
 * - hard links: 0, their inode was counted with the file they link to;
 * - directories, devices, fifos and whiteouts (`.wh.` files, `.wh..wh..opq`): 0.
 */
import { Readable } from 'node:stream'
import type { Header } from 'tar-stream'
import { serialPull } from './byte-source.js'
import type { Compression, ZstdDecoder } from './decode.js'
import type { LayerListing } from '../../model/files.js'
import { ListingCollector } from './layer-listing.js'
import { scanTar, type TarEntry } from './tar-scan.js'

/** What measuring one layer stream found. */
export interface LayerStats {
  /** Content size (basis `uncompressed`), the overlay2 engine's `docker history` definition */
  contentBytes: number
  /** Bytes of the stream as stored (compressed bytes when `compression` is not `none`) */
  blobBytes: number
  compression: Compression
  /** Tar entries of every type (files, directories, links, whiteouts, devices) */
  entries: number
  /** Every entry of the layer, with `list: true` */
  listing?: LayerListing
  /** sha256 of the blob's bytes as stored (`sha256:<hex>`), where the reader computed it */
  digest?: string
}

const WHITEOUT_PREFIX = '.wh.'

function isWhiteout(name: string): boolean {
  const base = name.replace(/\/+$/, '')
  return base.slice(base.lastIndexOf('/') + 1).startsWith(WHITEOUT_PREFIX)
}

/**
 * Byte length of a symlink target. Names are decoded as latin1 (one char per raw byte), except
 * pax `linkpath` records, which tar-stream decodes as UTF-8.
 */
function linkTargetBytes(header: Header): number {
  const pax = header.pax
  const fromPax =
    typeof pax === 'object' && pax !== null && typeof Reflect.get(pax, 'linkpath') === 'string'
  return Buffer.byteLength(header.linkname ?? '', fromPax ? 'utf8' : 'latin1')
}

/** Bytes one tar entry adds to the content size. */
export function entryContentBytes(header: Header): number {
  if (isWhiteout(header.name)) return 0
  switch (header.type) {
    case 'file':
    case 'contiguous-file':
      return header.size ?? 0
    case 'symlink':
      return linkTargetBytes(header)
    default:
      return 0
  }
}

export interface MeasureOptions {
  /** Force the pure-JS zstd decoder (tests); by default node:zlib's is used where present */
  zstd?: ZstdDecoder
  /** Names what is measured in error messages; `layer` by default */
  subject?: string
  /** Also list every entry (and capture package databases and secret verdicts) */
  list?: boolean
}

/**
 * Streams one layer (tar, tar+gzip or tar+zstd, detected by magic bytes) and counts its content
 * size. Nothing is written to disk and no more than one chunk is held. A corrupt, truncated or
 * non-tar stream gives a `UserError`; a failing source is rethrown as it failed (and, when it is
 * a Node stream, destroyed).
 */
export async function measureLayer(
  stream: Readable | AsyncIterable<Uint8Array>,
  options: MeasureOptions = {},
): Promise<LayerStats> {
  let contentBytes = 0
  const collector = options.list ? new ListingCollector() : undefined
  const countEntry = async (entry: TarEntry): Promise<void> => {
    const bytes = entryContentBytes(entry.header)
    contentBytes += bytes
    if (collector) await collector.add(entry, bytes)
    else entry.resume()
  }
  try {
    const scan = await scanTar(serialPull(stream), options.subject ?? 'layer', countEntry, {
      filenameEncoding: 'latin1',
      zstd: options.zstd,
    })
    return collector
      ? { contentBytes, ...scan, listing: collector.finish() }
      : { contentBytes, ...scan }
  } catch (error: unknown) {
    if (stream instanceof Readable) stream.destroy()
    throw error
  }
}
