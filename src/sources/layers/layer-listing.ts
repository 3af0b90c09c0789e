/**
 * The entries of one layer, reduced to what the file analysis needs, collected while the
 * layer streams by: path, kind, content bytes, whiteouts and opaque markers in tar order, and
 * the content of the few files the analysis reads (package databases; secret candidates,
 * kept only as the kind of secret they hold).
 */
import type { Header } from 'tar-stream'
import { captureRequest, keepCaptured } from '../../files/capture.js'
import type { LayerEntry, LayerListing } from '../../model/files.js'
import type { TarEntry } from './tar-scan.js'

const WHITEOUT_PREFIX = '.wh.'
const OPAQUE_MARKER = '.wh..wh..opq'

/**
 * A tar name as an absolute path without `./` or a trailing slash. Names are read as latin1
 * (one char per byte); pax names are already UTF-8 text. The root itself is `/`.
 */
export function tarPath(header: Header, field: 'name' | 'linkname' = 'name'): string {
  const pax = header.pax as Record<string, unknown> | undefined | null
  const paxValue = pax?.[field === 'name' ? 'path' : 'linkpath']
  const raw = field === 'name' ? header.name : (header.linkname ?? '')
  const text = typeof paxValue === 'string' ? paxValue : Buffer.from(raw, 'latin1').toString('utf8')
  const parts = text.split('/').filter((part) => part !== '' && part !== '.')
  return '/' + parts.join('/')
}

function splitPath(path: string): { dir: string; name: string } {
  const at = path.lastIndexOf('/')
  return { dir: at <= 0 ? '/' : path.slice(0, at), name: path.slice(at + 1) }
}

function join(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`
}

/** The listing entry of a tar header; `bytes` is the content size the layer measure counts. */
export function toLayerEntry(header: Header, bytes: number): LayerEntry {
  const path = tarPath(header)
  const { dir, name } = splitPath(path)
  if (name === OPAQUE_MARKER) return { path: dir, kind: 'opaque', bytes: 0 }
  if (name.startsWith(WHITEOUT_PREFIX)) {
    return { path: join(dir, name.slice(WHITEOUT_PREFIX.length)), kind: 'whiteout', bytes: 0 }
  }
  switch (header.type) {
    case 'file':
    case 'contiguous-file':
      return { path, kind: 'file', bytes }
    case 'symlink':
      return { path, kind: 'symlink', bytes }
    case 'link':
      return { path, kind: 'hardlink', bytes: 0, target: tarPath(header, 'linkname') }
    case 'directory':
      return { path, kind: 'directory', bytes: 0 }
    default:
      return { path, kind: 'other', bytes: 0 }
  }
}

/** Reads at most `max` bytes of an entry, then drains the rest. */
async function readHead(
  entry: TarEntry,
  max: number,
): Promise<{ content: Buffer; truncated: boolean }> {
  const chunks: Buffer[] = []
  let kept = 0
  for await (const chunk of entry as AsyncIterable<Buffer>) {
    if (kept < max) {
      const piece = chunk.length > max - kept ? chunk.subarray(0, max - kept) : chunk
      chunks.push(piece)
      kept += piece.length
    }
  }
  return { content: Buffer.concat(chunks, kept), truncated: (entry.header.size ?? 0) > kept }
}

/** Collects a `LayerListing` from the entries of one layer, in order. */
export class ListingCollector {
  private readonly listing: LayerListing = { entries: [], captured: [] }

  /** Takes one entry (and reads or drains its data). */
  async add(entry: TarEntry, bytes: number): Promise<void> {
    const item = toLayerEntry(entry.header, bytes)
    if (item.path !== '/') this.listing.entries.push(item)
    const request = item.kind === 'file' ? captureRequest(item.path) : undefined
    if (request === undefined) {
      entry.resume()
      return
    }
    const { content, truncated } = await readHead(entry, request.maxBytes)
    const kept = keepCaptured(request, item.path, content, truncated)
    if (kept !== undefined) this.listing.captured.push(kept)
  }

  finish(): LayerListing {
    return this.listing
  }
}
