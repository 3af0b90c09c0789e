/**
 * The file analysis for a terminal: a compact view (the figures, the few largest path and
 * package changes). Text from the image is made one line, with invisible and control
 * characters shown, and truncated (oneLine): no escape sequence reaches the terminal.
 */
import type { FileComparison, PackageChange } from '../model/files.js'
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
  TERMINAL_FILE_ROWS,
} from '../format/files.js'
import { formatBytes, formatDelta } from '../format/size.js'
import { oneLine } from '../format/text.js'

const count = formatCount
const path = (text: string, directory: boolean) =>
  oneLine(shortenPath(directory && text !== '/' ? `${text}/` : text, 90), 110)

export function renderFilesText(f: FileComparison, rows = TERMINAL_FILE_ROWS): string[] {
  const h = f.head
  const base = f.base ? `; base ${count(f.base.count)} files, ${formatBytes(f.base.bytes)}` : ''
  const added = f.base ? `, ${formatDelta(f.reclaimableAddedBytes)} from this PR` : ''
  const out = [
    `Files (${FILE_BASIS}): ${count(h.count)} files, ${formatBytes(h.bytes)} seen by a container${base}`,
    `  reclaimable ${formatBytes(h.reclaimableBytes)}${added}; dive ${diveText(h.dive)}`,
  ]
  if (f.base && f.changes.length > 0) {
    const shown = [...f.changes].sort(byPathImpact).slice(0, rows.paths)
    const paths = f.changes.length === 1 ? 'path' : 'paths'
    out.push(`What grew (${count(f.changes.length)} changed ${paths}, largest first):`)
    for (const c of shown) {
      const files = fileCountText(c)
      out.push(
        `  ${formatDelta(pathDelta(c)).padStart(10)}  ${c.change.padEnd(7)} ${path(c.path, c.directory)}${files ? ` (${files})` : ''}`,
      )
    }
    if (f.changes.length > shown.length)
      out.push(`  …and ${count(f.changes.length - shown.length)} more (--format json lists all)`)
  }
  if (f.base && f.packages.length > 0) {
    const shown = [...f.packages].sort(byPackageImpact).slice(0, rows.packages)
    out.push(`Packages: ${packageCounts(f.packages)} (sizes: ${PACKAGE_BASIS})`)
    for (const c of shown) out.push(`  ${packageLine(c)}`)
    if (f.packages.length > shown.length)
      out.push(`  …and ${count(f.packages.length - shown.length)} more (--format json lists all)`)
  }
  return out
}

function packageLine(c: PackageChange): string {
  const version = (v: string | null) => (v === null ? '' : oneLine(v, 40))
  const versions =
    c.before !== null && c.after !== null
      ? `${version(c.before)} -> ${version(c.after)}`
      : version(c.after ?? c.before)
  return `${deltaOrDash(packageDelta(c)).padStart(10)}  ${c.change.padEnd(10)} ${c.manager} ${oneLine(c.name, 60)} ${versions}`
}
