/**
 * What the file analysis found, in words every renderer shares: the basis of its figures, dive's
 * ratios, a package change's versions, how many rows a section shows. Text from the image
 * (paths, package names, versions) is returned raw: each renderer escapes it its own way.
 */
import type { DiveFigures, PackageChange, PathChange } from '../model/files.js'
import { formatBytes, formatDelta } from './size.js'

/** Said next to every file figure: they are content bytes, not layer or blob sizes. */
export const FILE_BASIS = 'content bytes, uncompressed'
/** Package sizes are what each database records (dpkg's Installed-Size is a KiB estimate). */
export const PACKAGE_BASIS = 'installed size as the package database records it'

/** How many rows each file section shows: few in the PR comment, more in the job summary. */
export interface FileRows {
  /** Changed paths ("What grew") */
  paths: number
  /** Package changes */
  packages: number
  /** Package tables longer than this are collapsed */
  openPackages: number
}

export const COMMENT_FILE_ROWS: FileRows = { paths: 10, packages: 10, openPackages: 5 }
export const SUMMARY_FILE_ROWS: FileRows = { paths: 50, packages: 500, openPackages: 10 }
/** The terminal: a compact view */
export const TERMINAL_FILE_ROWS: FileRows = { paths: 5, packages: 5, openPackages: 5 }

/** `1,234` */
export const formatCount = (n: number): string => n.toLocaleString('en-US')

/** `98.44%`: a 0..1 ratio as a percentage, two decimals (dive prints its score this way). */
export function formatRatio(ratio: number | null): string {
  return ratio === null || !Number.isFinite(ratio) ? 'unknown' : `${(ratio * 100).toFixed(2)}%`
}

/** `efficiency 98.44%, wasted 32.0 kB, wasted-user 48.35% of 66.2 kB of user layers` */
export function diveText(dive: DiveFigures): string {
  return (
    `efficiency ${formatRatio(dive.efficiency)}, wasted ${formatBytes(dive.wastedBytes)}, ` +
    `wasted-user ${formatRatio(dive.wastedUserPercent)} of ${formatBytes(dive.userSizeBytes)} in the layers above the first`
  )
}

/** The change of a path, in bytes (PR minus base) */
export const pathDelta = (c: PathChange): number => c.bytesAfter - c.bytesBefore

/** `12 → 15 files` for a directory; '' for a file */
export function fileCountText(c: PathChange): string {
  if (!c.directory) return ''
  const files = (n: number) => `${formatCount(n)} ${n === 1 ? 'file' : 'files'}`
  if (c.change === 'added') return files(c.countAfter)
  if (c.change === 'removed') return files(c.countBefore)
  return c.countBefore === c.countAfter
    ? files(c.countAfter)
    : `${formatCount(c.countBefore)} → ${files(c.countAfter)}`
}

/** The change in installed bytes; undefined when a side that should be there has no size. */
export function packageDelta(c: PackageChange): number | undefined {
  const before = c.before === null ? 0 : c.bytesBefore
  const after = c.after === null ? 0 : c.bytesAfter
  return before === null || after === null ? undefined : after - before
}

/** Largest change in installed bytes first (unknown sizes last), then by manager and name. */
export function byPackageImpact(a: PackageChange, b: PackageChange): number {
  const size = (c: PackageChange) => Math.abs(packageDelta(c) ?? -1)
  return (
    size(b) - size(a) ||
    a.manager.localeCompare(b.manager) ||
    a.name.localeCompare(b.name) ||
    a.change.localeCompare(b.change)
  )
}

/** Largest |change| first, then by path, so equal changes keep a stable order. */
export function byPathImpact(a: PathChange, b: PathChange): number {
  return Math.abs(pathDelta(b)) - Math.abs(pathDelta(a)) || (a.path < b.path ? -1 : 1)
}

const KINDS: Array<PackageChange['change']> = [
  'added',
  'removed',
  'upgraded',
  'downgraded',
  'changed',
]

/** `3 added, 1 removed, 2 upgraded` (kinds with none left out; `no changes` when empty) */
export function packageCounts(changes: PackageChange[]): string {
  const counts = KINDS.map((kind) => [kind, changes.filter((c) => c.change === kind).length])
  const said = counts.filter(([, n]) => n !== 0).map(([kind, n]) => `${n} ${kind}`)
  return said.length > 0 ? said.join(', ') : 'no changes'
}

/** `+1.20 MB` or `—` for an unknown figure */
export const deltaOrDash = (n: number | undefined): string =>
  n === undefined ? '—' : formatDelta(n)
/** `1.20 MB` or `—` */
export const bytesOrDash = (n: number | null | undefined): string =>
  n === null || n === undefined ? '—' : formatBytes(n)

/**
 * A path shortened in the middle to at most `maxChars` code points (`/usr/lib/…/libfoo.so`):
 * the start says where, the end says what.
 */
export function shortenPath(path: string, maxChars: number): string {
  const chars = Array.from(path)
  if (chars.length <= maxChars) return path
  const tail = Math.floor((maxChars - 1) / 2)
  const head = maxChars - 1 - tail
  return `${chars.slice(0, head).join('')}…${chars.slice(chars.length - tail).join('')}`
}
