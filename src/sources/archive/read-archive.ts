/**
 * Reads an image archive from a stream in one pass, whatever the order of its entries:
 * - docker-archive, legacy (`docker save` on the overlay2 engine): manifest.json, `<id>.json`
 *   configs, `<id>/layer.tar` (uncompressed; repeated layers as symlinks to the first copy);
 * - docker-archive, OCI-flavoured (Docker 25+): the OCI layout below plus manifest.json;
 * - an OCI image layout tarball: oci-layout, index.json, blobs/sha256/<hex>.
 * Every layer is measured as it streams by and JSON documents are kept (capped); nothing is
 * extracted and no layer is held in memory. Images are resolved once the stream has ended.
 * The outer tar may itself be gzip or zstd compressed.
 */
import { Readable } from 'node:stream'
import type { TarEntry } from '../layers/tar-scan.js'
import { normalizeEntryPath, linkTargetPath } from './archive-paths.js'
import { DEFAULT_MAX_JSON_BYTES, readArchiveEntry, type EntryOptions } from './archive-entry.js'
import { ArchiveStore } from './archive-store.js'
import { serialPull } from '../layers/byte-source.js'
import type { ZstdDecoder } from '../layers/decode.js'
import { listImages } from './list-images.js'
import { scanTar } from '../layers/tar-scan.js'
import type { ArchiveContents } from './types.js'

export type { ArchiveContents, ArchiveImage, ArchiveLayer } from './types.js'
export type { Compression } from '../layers/decode.js'
export { DEFAULT_MAX_JSON_BYTES } from './archive-entry.js'

export interface ReadArchiveOptions {
  /** Cap on each JSON document kept from the archive, in bytes (default 8 MiB) */
  maxJsonBytes?: number
  /** Names the archive in messages, e.g. `docker-archive:out/app.tar` (default "image archive") */
  label?: string
  /** Force the pure-JS zstd decoder (tests); by default node:zlib's is used where present */
  zstd?: ZstdDecoder
  /** List every layer's entries (`ArchiveLayer.listing`) for the file analysis */
  list?: boolean
  /**
   * Check each layer's bytes against the digest that names it (default true): a file can be
   * corrupt. The engine's export of its own store skips it: its digests are the engine's.
   */
  verifyDigests?: boolean
}

async function storeEntry(
  store: ArchiveStore,
  entry: TarEntry,
  options: EntryOptions,
): Promise<void> {
  const { header } = entry
  const path = normalizeEntryPath(header.name)
  if (header.type === 'file' || header.type === 'contiguous-file') {
    store.addFile(path, await readArchiveEntry(entry, path, options))
    return
  }
  if ((header.type === 'symlink' || header.type === 'link') && header.linkname) {
    store.addLink(path, linkTargetPath(path, header.linkname, header.type))
  }
  entry.resume()
}

/**
 * Reads a docker save or OCI layout tarball from `stream` and resolves its images. Throws a
 * `UserError` (one line) for a non-tar, truncated or corrupt archive, a missing manifest, config
 * or layer, or a layer count that differs from the config's diff_ids. A failing `stream` is
 * rethrown as it failed, and destroyed.
 */
export async function readImageArchive(
  stream: Readable | AsyncIterable<Uint8Array>,
  options: ReadArchiveOptions = {},
): Promise<ArchiveContents> {
  const entryOptions: EntryOptions = {
    maxJsonBytes: options.maxJsonBytes ?? DEFAULT_MAX_JSON_BYTES,
    zstd: options.zstd,
    list: options.list,
    verifyDigests: options.verifyDigests,
  }
  const label = options.label ?? 'image archive'
  const store = new ArchiveStore(label)
  try {
    await scanTar(serialPull(stream), label, (entry) => storeEntry(store, entry, entryOptions), {
      zstd: options.zstd,
    })
  } catch (error: unknown) {
    if (stream instanceof Readable) stream.destroy()
    throw error
  }
  return listImages(store, 'archive')
}
