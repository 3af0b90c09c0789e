/**
 * Base vs PR by path: which files and directories appeared, grew, shrank or disappeared, and
 * which of the PR image's hidden copies its own layers added.
 */
import type { HiddenCopy, PathChange, ViewFile } from '../model/files.js'
import { parentPath } from './merge.js'

/** At most this many rows come back (the full per-file detail is never kept) */
export const MAX_PATH_CHANGES = 500

type View = ReadonlyMap<string, ViewFile>

/** Every directory that holds a file of `view`, `/` excepted. */
function directoriesOf(view: View): Set<string> {
  const dirs = new Set<string>()
  for (const path of view.keys()) {
    for (let at = parentPath(path); at !== '/' && !dirs.has(at); at = parentPath(at)) dirs.add(at)
  }
  return dirs
}

/** The highest directory above `path` that `other` does not have, if any */
function topmostMissing(path: string, other: ReadonlySet<string>): string | undefined {
  for (let end = path.indexOf('/', 1); end > 0; end = path.indexOf('/', end + 1)) {
    const dir = path.slice(0, end)
    if (!other.has(dir)) return dir
  }
  return undefined
}

function depthOf(path: string): number {
  let depth = 0
  for (let i = 0; i < path.length; i++) if (path.charCodeAt(i) === 47) depth++
  return depth
}

/** The ancestor of `path` at `depth` (`/a/b/c` at 1 is `/a`) */
function ancestorAt(path: string, depth: number): string {
  let end = 0
  for (let d = 0; d <= depth; d++) end = path.indexOf('/', end + 1)
  return end < 0 ? path : path.slice(0, end)
}

function directoryRow(path: string, before: Total, after: Total): PathChange {
  const change =
    before.count === 0
      ? 'added'
      : after.count === 0
        ? 'removed'
        : after.bytes >= before.bytes
          ? 'grown'
          : 'shrunk'
  return {
    path,
    directory: true,
    change,
    bytesBefore: before.bytes,
    bytesAfter: after.bytes,
    countBefore: before.count,
    countAfter: after.count,
  }
}

interface Total {
  bytes: number
  count: number
}

/** Bytes and count below each of `dirs` (all at `depth`) in `view` */
function totalsBelow(view: View, dirs: ReadonlySet<string>, depth: number): Map<string, Total> {
  const totals = new Map<string, Total>()
  for (const file of view.values()) {
    if (depthOf(file.path) <= depth) continue
    const dir = ancestorAt(file.path, depth)
    if (!dirs.has(dir)) continue
    const total = totals.get(dir) ?? { bytes: 0, count: 0 }
    total.bytes += file.bytes
    total.count++
    totals.set(dir, total)
  }
  return totals
}

/** Rows per file, except a directory only one side has, which is one row with its count. */
function listChanges(base: View, head: View): PathChange[] {
  const rows: PathChange[] = []
  const wholeDirs = new Map<string, { before: Total; after: Total }>()
  const addToDir = (dir: string, file: ViewFile, side: 'before' | 'after') => {
    let row = wholeDirs.get(dir)
    if (!row)
      wholeDirs.set(dir, (row = { before: { bytes: 0, count: 0 }, after: { bytes: 0, count: 0 } }))
    row[side].bytes += file.bytes
    row[side].count++
  }
  const baseDirs = directoriesOf(base)
  const headDirs = directoriesOf(head)
  for (const file of head.values()) {
    const old = base.get(file.path)
    const row = { path: file.path, directory: false, bytesAfter: file.bytes, countAfter: 1 }
    if (old) {
      if (old.bytes === file.bytes) continue
      const change = file.bytes > old.bytes ? 'grown' : 'shrunk'
      rows.push({ ...row, change, bytesBefore: old.bytes, countBefore: 1 })
      continue
    }
    const dir = topmostMissing(file.path, baseDirs)
    if (dir !== undefined) addToDir(dir, file, 'after')
    else rows.push({ ...row, change: 'added', bytesBefore: 0, countBefore: 0 })
  }
  for (const file of base.values()) {
    if (head.has(file.path)) continue
    const dir = topmostMissing(file.path, headDirs)
    if (dir !== undefined) addToDir(dir, file, 'before')
    else
      rows.push({
        ...{ path: file.path, directory: false, change: 'removed' },
        ...{ bytesBefore: file.bytes, bytesAfter: 0, countBefore: 1, countAfter: 0 },
      })
  }
  for (const [path, { before, after }] of wholeDirs) rows.push(directoryRow(path, before, after))
  return rows
}

/** Groups the deepest rows into their directories, level by level, until at most `max` remain. */
function collapse(rows: PathChange[], base: View, head: View, max: number): PathChange[] {
  let depth = rows.reduce((deepest, row) => Math.max(deepest, depthOf(row.path)), 0) - 1
  for (; rows.length > max && depth >= 1; depth--) {
    const groups = new Map<string, number>()
    for (const row of rows) {
      if (depthOf(row.path) <= depth) continue
      const dir = ancestorAt(row.path, depth)
      groups.set(dir, (groups.get(dir) ?? 0) + 1)
    }
    const merged = new Set([...groups].filter(([, n]) => n >= 2).map(([dir]) => dir))
    if (merged.size === 0) continue
    const before = totalsBelow(base, merged, depth)
    const after = totalsBelow(head, merged, depth)
    const none = { bytes: 0, count: 0 }
    rows = rows.filter(
      (row) => depthOf(row.path) <= depth || !merged.has(ancestorAt(row.path, depth)),
    )
    for (const dir of merged)
      rows.push(directoryRow(dir, before.get(dir) ?? none, after.get(dir) ?? none))
  }
  return rows
}

/**
 * The paths that differ from `base` to `head`, largest |change| first. A directory that only
 * one side has is one row (with its file count); other files are rows of their own. Bounded:
 * at most `MAX_PATH_CHANGES` (500) rows. Beyond that, the deepest rows are grouped into their
 * directories level by level until they fit, and what still does not fit is cut.
 */
export function comparePaths(base: View, head: View, max = MAX_PATH_CHANGES): PathChange[] {
  const rows = collapse(listChanges(base, head), base, head, max)
  const size = (row: PathChange) => Math.abs(row.bytesAfter - row.bytesBefore)
  rows.sort((a, b) => size(b) - size(a) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  return rows.slice(0, max)
}

/**
 * Bytes of `hidden` (the PR image's hidden copies) that a layer of its own stored or hid: a
 * layer whose diff ID is not one of `baseDiffIds`. `headDiffIds[i]` is layer i + 1's. Without
 * a baseline every layer is the PR's own.
 */
export function sumReclaimableAdded(
  hidden: readonly HiddenCopy[],
  headDiffIds: readonly string[],
  baseDiffIds: readonly string[] | undefined,
): number {
  const inBase = new Set(baseDiffIds ?? [])
  const own = (layer: number) => !inBase.has(headDiffIds[layer - 1])
  return hidden.reduce(
    (sum, copy) => sum + (own(copy.layer) || own(copy.hiddenBy) ? copy.bytes : 0),
    0,
  )
}
