/**
 * Everything the file analysis knows about one image, from its layer listings: the merged
 * view and its hidden copies, the largest files and directories, dive's figures, the secrets
 * the layers hold, the OS release and the packages of the visible databases.
 */
import type { ImageFiles, LayerListing, SecretFile, ViewFile } from '../model/files.js'
import { computeDiveFigures } from './dive-figures.js'
import { mergeLayers } from './merge.js'
import { readOsRelease } from './os-release.js'
import { readPackages, type DatabaseText } from './packages/index.js'

/** How many of the largest files and directories are kept */
export const TOP_ENTRIES = 20
/** Directories are totalled down to this depth (`/usr/lib/x86_64-linux-gnu` is 3) */
export const DIRECTORY_DEPTH = 3

/** Largest first; equal sizes by path, so the order does not depend on layer order. */
function byBytes<T extends { bytes: number; path: string }>(a: T, b: T): number {
  return b.bytes - a.bytes || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)
}

/** The `n` largest of `items`, without sorting them all. */
export function largestOf<T extends { bytes: number; path: string }>(
  items: Iterable<T>,
  n: number,
): T[] {
  const top: T[] = []
  for (const item of items) {
    if (top.length === n && byBytes(item, top[n - 1]) >= 0) continue
    let at = top.length === n ? n - 1 : top.length
    while (at > 0 && byBytes(item, top[at - 1]) < 0) {
      top[at] = top[at - 1]
      at--
    }
    top[at] = item
    if (top.length > n) top.length = n
  }
  return top
}

/** Bytes and count of the files below each directory down to `DIRECTORY_DEPTH`. */
export function totalDirectories(
  view: ReadonlyMap<string, ViewFile>,
): Map<string, { bytes: number; count: number }> {
  const totals = new Map<string, { bytes: number; count: number }>()
  for (const file of view.values()) {
    let end = file.path.indexOf('/', 1)
    for (let depth = 1; depth <= DIRECTORY_DEPTH && end > 0; depth++) {
      const dir = file.path.slice(0, end)
      const total = totals.get(dir)
      if (total) {
        total.bytes += file.bytes
        total.count++
      } else totals.set(dir, { bytes: file.bytes, count: 1 })
      end = file.path.indexOf('/', end + 1)
    }
  }
  return totals
}

/** Whether the copy `layer` wrote of `path` is the one a container sees */
function isVisible(view: ReadonlyMap<string, ViewFile>, path: string, layer: number): boolean {
  const file = view.get(path)
  return file !== undefined && file.layer === layer && file.kind === 'file'
}

/** The captured texts whose copy is visible, and the secret verdicts of every layer. */
function readCaptured(
  layers: readonly LayerListing[],
  view: ReadonlyMap<string, ViewFile>,
): { texts: DatabaseText[]; secrets: SecretFile[] } {
  const texts = new Map<string, DatabaseText>()
  const secrets = new Map<string, SecretFile>()
  layers.forEach((listing, index) => {
    const layer = index + 1
    for (const item of listing.captured) {
      const visible = isVisible(view, item.path, layer)
      if (item.kind === 'secret') {
        const secret = { path: item.path, kind: item.secret, layer, visible }
        secrets.set(`${layer}:${item.path}`, secret)
      } else if (visible) {
        texts.set(item.path, { path: item.path, text: item.text, truncated: item.truncated, layer })
      }
    }
  })
  const secretList = [...secrets.values()].sort(
    (a, b) =>
      Number(b.visible) - Number(a.visible) || a.layer - b.layer || (a.path < b.path ? -1 : 1),
  )
  return { texts: [...texts.values()], secrets: secretList }
}

/** What the files of an image whose layers are `layers` (bottom first) say. */
export function describeImageFiles(layers: readonly LayerListing[]): ImageFiles {
  const { view, hidden } = mergeLayers(layers)
  let bytes = 0
  for (const file of view.values()) bytes += file.bytes
  const reclaimableBytes = hidden.reduce((sum, copy) => sum + copy.bytes, 0)
  const directories = largestOf(
    [...totalDirectories(view)].map(([path, total]) => ({ path, ...total })),
    TOP_ENTRIES,
  )
  const { texts, secrets } = readCaptured(layers, view)
  const { packages, manifests } = readPackages(texts, view)
  return {
    count: view.size,
    bytes,
    reclaimableBytes,
    dive: computeDiveFigures(layers),
    largest: largestOf(view.values(), TOP_ENTRIES),
    directories,
    view,
    // stable: equal sizes keep the order they were hidden in
    hidden: hidden.sort((a, b) => b.bytes - a.bytes),
    packages,
    secrets,
    manifests,
    os: readOsRelease(new Map(texts.map((text) => [text.path, text.text]))),
  }
}
