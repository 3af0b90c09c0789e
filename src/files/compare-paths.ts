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
  // `other` holds every ancestor of what it holds: a parent there means all are there
  const parent = parentPath(path)
  if (parent === '/' || other.has(parent)) return undefined
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

/** Bytes and count below every directory of `view` (but `/`) */
function totalsBelow(view: View): Map<string, Total> {
  const totals = new Map<string, Total>()
  for (const file of view.values()) {
    for (let at = parentPath(file.path); at !== '/'; at = parentPath(at)) {
      const total = totals.get(at)
      if (total) {
        total.bytes += file.bytes
        total.count++
      } else totals.set(at, { bytes: file.bytes, count: 1 })
    }
  }
  return totals
}

/** A file's row; undefined bytes: absent on that side */
function fileRow(path: string, before: number | undefined, after: number | undefined): PathChange {
  const change =
    before === undefined
      ? 'added'
      : after === undefined
        ? 'removed'
        : after > before
          ? 'grown'
          : 'shrunk'
  return {
    path,
    directory: false,
    change,
    bytesBefore: before ?? 0,
    bytesAfter: after ?? 0,
    countBefore: before === undefined ? 0 : 1,
    countAfter: after === undefined ? 0 : 1,
  }
}

/**
 * Rows per file, except a directory only one side has, which is one row with its count (or the
 * row of its one file, when it holds only one: `/usr/local/bin/tool` says more than `/usr`).
 */
function listChanges(base: View, head: View): PathChange[] {
  const rows: PathChange[] = []
  const wholeDirs = new Map<string, { before: Total; after: Total; first: string }>()
  const addToDir = (dir: string, file: ViewFile, side: 'before' | 'after') => {
    let row = wholeDirs.get(dir)
    if (!row)
      wholeDirs.set(
        dir,
        (row = {
          before: { bytes: 0, count: 0 },
          after: { bytes: 0, count: 0 },
          first: file.path,
        }),
      )
    row[side].bytes += file.bytes
    row[side].count++
  }
  const baseDirs = directoriesOf(base)
  const headDirs = directoriesOf(head)
  for (const file of head.values()) {
    const old = base.get(file.path)
    if (old && old.bytes === file.bytes) continue
    const dir = old ? undefined : topmostMissing(file.path, baseDirs)
    if (dir !== undefined) addToDir(dir, file, 'after')
    else rows.push(fileRow(file.path, old?.bytes, file.bytes))
  }
  for (const file of base.values()) {
    if (head.has(file.path)) continue
    const dir = topmostMissing(file.path, headDirs)
    if (dir !== undefined) addToDir(dir, file, 'before')
    else rows.push(fileRow(file.path, file.bytes, undefined))
  }
  for (const [path, { before, after, first }] of wholeDirs) {
    if (before.count + after.count !== 1) rows.push(directoryRow(path, before, after))
    else if (after.count === 1) rows.push(fileRow(first, undefined, after.bytes))
    else rows.push(fileRow(first, before.bytes, undefined))
  }
  return rows
}

/** Groups the deepest rows into their directories, level by level, until at most `max` remain. */
function collapse(rows: PathChange[], base: View, head: View, max: number): PathChange[] {
  if (rows.length <= max) return rows
  const before = totalsBelow(base)
  const after = totalsBelow(head)
  const none = { bytes: 0, count: 0 }
  let items = rows.map((row) => ({ row, depth: depthOf(row.path) }))
  let depth = items.reduce((deepest, item) => Math.max(deepest, item.depth), 0) - 1
  for (; items.length > max && depth >= 1; depth--) {
    const groups = new Map<string, number>()
    const dirs = items.map((item) => (item.depth > depth ? ancestorAt(item.row.path, depth) : ''))
    for (const dir of dirs) if (dir !== '') groups.set(dir, (groups.get(dir) ?? 0) + 1)
    const kept = items.filter((_, i) => dirs[i] === '' || groups.get(dirs[i]) === 1)
    for (const [dir, n] of groups) {
      if (n < 2) continue
      const row = directoryRow(dir, before.get(dir) ?? none, after.get(dir) ?? none)
      kept.push({ row, depth })
    }
    items = kept
  }
  return items.map((item) => item.row)
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
