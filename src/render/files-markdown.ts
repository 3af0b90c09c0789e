/**
 * The file analysis in markdown, for the PR comment and the job summary: the figures line, "What
 * grew" by path and the package changes. Paths, package names and versions come from the image:
 * each is escaped (escapeMarkdown) and truncated before it reaches the body.
 */
import { markdownTable } from 'markdown-table'
import type { FileComparison, ImageFiles, PackageChange, PathChange } from '../model/files.js'
import {
  byPackageImpact,
  byPathImpact,
  deltaOrDash,
  diveText,
  FILE_BASIS,
  formatCount,
  fileCountText,
  PACKAGE_BASIS,
  packageCounts,
  packageDelta,
  pathDelta,
  shortenPath,
} from '../format/files.js'
import { formatBytes, formatDelta } from '../format/size.js'
import { escapeMarkdown } from './escape.js'

/** Longest path shown, in code points, before escaping (shortened in the middle) */
const MAX_PATH_CHARS = 90
const MAX_NAME_CHARS = 60
const MAX_VERSION_CHARS = 40

/** How many rows each section shows at the current detail level */
export interface FileDetail {
  pathRows: number
  packageRows: number
  /** Package tables longer than this are collapsed */
  openPackages: number
}

const count = formatCount
const files = (n: number) => `${count(n)} ${n === 1 ? 'file' : 'files'}`

/** An untrusted path for a table cell: shortened in the middle, then escaped */
export const pathCell = (path: string, directory = false): string =>
  escapeMarkdown(shortenPath(directory && path !== '/' ? `${path}/` : path, MAX_PATH_CHARS), 120)

/**
 * `**Files** (content bytes, uncompressed): a container sees **405 files, 1.19 MB** …`: what a
 * container sees, the reclaimable bytes and what this PR added to them, and dive's figures.
 */
export function renderFileFigures(f: FileComparison): string {
  const head = f.head
  const seen = `a container sees **${files(head.count)}, ${formatBytes(head.bytes)}**`
  const base = f.base
    ? ` (base: ${files(f.base.count)}, ${formatBytes(f.base.bytes)}; ${signedCount(head.count - f.base.count)} files, ${formatDelta(head.bytes - f.base.bytes)})`
    : ''
  const added = f.base ? `, **${formatDelta(f.reclaimableAddedBytes)}** of it from this PR` : ''
  return (
    `**Files** (${FILE_BASIS}): ${seen}${base}. ` +
    `Reclaimable, copies stored in the layers that a container never sees: **${formatBytes(head.reclaimableBytes)}**${added}. ` +
    `dive: ${diveText(head.dive)}.`
  )
}

const signedCount = (n: number) => (n > 0 ? `+${count(n)}` : count(n))

/**
 * "What grew": the changed paths, largest change first, as `changes` aggregates them. Without a
 * baseline, the PR image's largest directories instead.
 */
export function renderPathChanges(f: FileComparison, rows: number, rest: string): string[] {
  if (!f.base) return largestDirectories(f.head, rows)
  if (f.changes.length === 0 || rows === 0) return []
  const shown = [...f.changes].sort(byPathImpact).slice(0, rows)
  const out = [
    `**What grew** (${FILE_BASIS}; ${count(f.changes.length)} changed ${f.changes.length === 1 ? 'path' : 'paths'})`,
    pathTable(shown),
  ]
  const more = f.changes.length - shown.length
  if (more > 0) out.push(`_…and ${count(more)} more changed paths, each a smaller change. ${rest}_`)
  return out
}

function pathTable(changes: PathChange[]): string {
  const rows = changes.map((c) => {
    const files = fileCountText(c)
    return [
      pathCell(c.path, c.directory),
      files ? `${c.change} (${files})` : c.change,
      c.change === 'added' ? '—' : formatBytes(c.bytesBefore),
      c.change === 'removed' ? '—' : formatBytes(c.bytesAfter),
      formatDelta(pathDelta(c)),
    ]
  })
  return markdownTable([['Path', 'Change', 'Base', 'PR', 'Δ'], ...rows], {
    align: ['l', 'l', 'r', 'r', 'r'],
  })
}

function largestDirectories(head: ImageFiles, rows: number): string[] {
  const shown = head.directories.slice(0, rows)
  if (shown.length === 0) return []
  const table = markdownTable(
    [
      ['Directory', 'Files', 'Size'],
      ...shown.map((d) => [pathCell(d.path, true), count(d.count), formatBytes(d.bytes)]),
    ],
    { align: ['l', 'r', 'r'] },
  )
  return [`**Largest directories** (${FILE_BASIS})`, table]
}

/**
 * "Packages": how many were added, removed and upgraded, then the largest changes with their
 * versions and sizes; a long table is collapsed.
 */
export function renderPackageChanges(
  f: FileComparison,
  detail: FileDetail,
  rest: string,
): string[] {
  if (!f.base || f.packages.length === 0) return []
  const heading = `**Packages** (${packageCounts(f.packages)}; sizes: ${PACKAGE_BASIS})`
  const shown = [...f.packages].sort(byPackageImpact).slice(0, detail.packageRows)
  if (shown.length === 0) return [heading]
  const more = f.packages.length - shown.length
  const table = packageTable(shown)
  const tail = more > 0 ? `\n\n_…and ${count(more)} more package changes. ${rest}_` : ''
  if (shown.length <= detail.openPackages) return [heading, `${table}${tail}`]
  const what =
    more > 0
      ? `The ${shown.length} largest of ${count(f.packages.length)} package changes`
      : `All ${shown.length} package changes`
  return [heading, `<details><summary>${what}</summary>\n\n${table}${tail}\n\n</details>`]
}

function packageTable(changes: PackageChange[]): string {
  const side = (version: string | null, bytes: number | null) =>
    version === null
      ? '—'
      : `${escapeMarkdown(version, MAX_VERSION_CHARS)}${bytes === null ? '' : ` (${formatBytes(bytes)})`}`
  const rows = changes.map((c) => [
    escapeMarkdown(c.name, MAX_NAME_CHARS),
    c.manager,
    c.change,
    side(c.before, c.bytesBefore),
    side(c.after, c.bytesAfter),
    deltaOrDash(packageDelta(c)),
  ])
  return markdownTable([['Package', 'Manager', 'Change', 'Base', 'PR', 'Δ'], ...rows], {
    align: ['l', 'l', 'l', 'l', 'l', 'r'],
  })
}

/** "What grew" and "Packages", in reading order, at the given detail. */
export function renderFileSections(f: FileComparison, detail: FileDetail, rest: string): string[] {
  return [...renderPathChanges(f, detail.pathRows, rest), ...renderPackageChanges(f, detail, rest)]
}
