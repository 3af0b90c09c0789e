/**
 * How much detail a comment or summary shows, level by level: each level drops a little more,
 * in a defined order, until the body fits its limit.
 */
import type { FileRows } from '../format/files.js'
import type { FileDetail } from './files-markdown.js'

export interface Detail {
  /** The collapsed list of unchanged layers */
  unchanged: boolean
  /** Rows of the "Layers that changed" table */
  changedRows: number
  /** The "Why it grew" list: small, the most useful part, so dropped late */
  findings: boolean
  /** Rows of "What grew" and "Packages" */
  files: FileDetail
  /** The one-line file figures (files seen, reclaimable, dive): dropped last */
  fileFigures: boolean
  /** The size trend's chart and jumps (its one line stays): dropped early */
  trendChart: boolean
}

/** `n/2, n/4, …, 1, 0` */
function halving(n: number): number[] {
  const out: number[] = []
  for (let rows = Math.floor(n / 2); rows >= 1; rows = Math.floor(rows / 2)) out.push(rows)
  return [...out, 0]
}

/**
 * The levels, most detail first. Dropped in this order: the unchanged layers, the trend chart, package rows,
 * changed-layer rows, changed-path rows, the reasons it grew, the file figures line.
 */
export function detailLevels(mostLayers: number, rows: FileRows): Detail[] {
  const files: FileDetail = {
    pathRows: rows.paths,
    packageRows: rows.packages,
    openPackages: rows.openPackages,
  }
  const levels: Detail[] = [
    {
      unchanged: true,
      changedRows: mostLayers,
      findings: true,
      files,
      fileFigures: true,
      trendChart: true,
    },
  ]
  const next = (change: (last: Detail) => Partial<Detail>) => {
    const last = levels[levels.length - 1]
    levels.push({ ...last, ...change(last) })
  }
  next(() => ({ unchanged: false }))
  next(() => ({ trendChart: false }))
  for (const n of halving(rows.packages)) next((l) => ({ files: { ...l.files, packageRows: n } }))
  for (const n of halving(mostLayers)) next(() => ({ changedRows: n }))
  for (const n of halving(rows.paths)) next((l) => ({ files: { ...l.files, pathRows: n } }))
  next(() => ({ findings: false }))
  next(() => ({ fileFigures: false }))
  return levels
}
