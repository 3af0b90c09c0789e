/**
 * `image-size-gate history` on a terminal: per image key and platform, a sparkline, a table
 * (commit, time, size, change) and "which commit made it grow": the largest increases with the
 * layer changes their runs stored. Every stored string is untrusted (anyone who can push to the
 * history branch wrote it): one line, invisible characters shown, cut.
 */
import { formatBytes, formatDelta } from '../format/size.js'
import { sparkline } from '../format/sparkline.js'
import { oneLine } from '../format/text.js'
import { largestJumps, pointBytes, type PointBasis, type SizePoint } from '../model/size-history.js'

export interface HistorySeries {
  key: string
  platform?: string
  /** Oldest first */
  points: SizePoint[]
}

/** How many increases "which commit made it grow" names */
export const JUMPS_SHOWN = 5
/** Rows of the table at most (the newest); the sparkline has every point */
export const ROWS_SHOWN = 40

/** Points split by key and platform, each oldest first. */
export function seriesOf(points: readonly SizePoint[]): HistorySeries[] {
  const series = new Map<string, HistorySeries>()
  for (const point of points) {
    const id = `${point.key}\0${point.platform ?? ''}`
    const entry = series.get(id) ?? { key: point.key, platform: point.platform, points: [] }
    entry.points.push(point)
    series.set(id, entry)
  }
  return [...series.values()]
}

/** Uncompressed when every point knows it, else compressed (registry-only runs). */
export function seriesBasis(points: readonly SizePoint[]): PointBasis {
  return points.every((p) => p.uncompressedBytes !== undefined) ? 'uncompressed' : 'compressed'
}

export function renderHistoryText(series: HistorySeries, where: string): string {
  const basis = seriesBasis(series.points)
  const values = series.points.map((p) => pointBytes(p, basis))
  const name = oneLine(series.key, 100) + (series.platform ? ` (${series.platform})` : '')
  const lines = [
    `${name} on ${where}: ${series.points.length} build${series.points.length === 1 ? '' : 's'}, ${basis} sizes`,
    `  ${sparkline(values)}`,
    '',
    `  ${'commit'.padEnd(9)}${'time (UTC)'.padEnd(18)}${'size'.padStart(10)}  change`,
  ]
  const first = Math.max(0, series.points.length - ROWS_SHOWN)
  if (first > 0)
    lines.push(`  … ${first} older build${first === 1 ? '' : 's'} (--json has them all)`)
  for (let i = first; i < series.points.length; i++) {
    const bytes = values[i]
    const before = values.slice(0, i).findLast((v) => v !== undefined)
    const change = bytes === undefined || before === undefined ? '' : formatDelta(bytes - before)
    const point = series.points[i]
    lines.push(
      `  ${point.sha.slice(0, 7).padEnd(9)}${point.time.slice(0, 16).replace('T', ' ').padEnd(18)}${(bytes === undefined ? '—' : formatBytes(bytes)).padStart(10)}  ${change}`,
    )
  }
  const jumps = largestJumps(series.points, basis, JUMPS_SHOWN)
  lines.push('', jumps.length > 0 ? 'Which commits made it grow:' : 'It never grew in this window.')
  jumps.forEach((jump, i) => {
    lines.push(
      `  ${i + 1}. ${jump.to.sha.slice(0, 7)} (${jump.to.time.slice(0, 10)}): ${formatDelta(jump.deltaBytes)} after ${jump.from.sha.slice(0, 7)}`,
    )
    for (const change of jump.to.layerChanges ?? [])
      lines.push(
        `       ${formatDelta(change.deltaBytes).padStart(10)}  ${oneLine(change.instruction, 100)}`,
      )
  })
  return `${lines.map((line) => line.trimEnd()).join('\n')}\n`
}
