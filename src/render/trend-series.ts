/**
 * What a trend shows (issue 11): the last builds of the base branch with a size on the run's
 * basis, then this PR's image, each with a label made from its commit alone, and the biggest
 * jumps between the builds shown. The points come from the history store: untrusted. A SHA is
 * used only when it is 40 hex digits, a time only when it parses, a size only when it is a whole
 * number of bytes; everything else about a point is left out here and escaped by the renderers.
 */
import { largestJumps, pointBytes, type SizeJump, type SizePoint } from '../model/size-history.js'
import type { ReportEntry } from '../report/report.js'

/** Builds of the base branch a chart shows by default, before this PR's point. */
export const TREND_BUILDS = 20
/** Jumps named under the chart. */
export const TREND_JUMPS = 3

export interface TrendPoint {
  /** A unique label: the commit's first 7 hex digits (`0a1b2c3`, `0a1b2c3 (2)` for a rebuild), `PR` */
  label: string
  bytes: number
  /** The commit, when it is 40 hex digits (lower case); absent for the PR */
  sha?: string
  /** `2026-11-02`, when the point's time parses */
  date?: string
  /** The stored point (for its layer changes, untrusted) */
  point?: SizePoint
}

export interface TrendSeries {
  /** The recorded branch, untrusted (escape it) */
  branch: string
  basis: ReportEntry['comparison']['basis']
  /** The base branch's builds shown, oldest first */
  builds: TrendPoint[]
  /** This PR's image, when its size on the basis is known */
  pr?: TrendPoint
  /** The largest increases between the builds shown, largest first */
  jumps: Array<{ to: TrendPoint; deltaBytes: number }>
}

export const isSha = (sha: unknown): sha is string =>
  typeof sha === 'string' && /^[0-9a-f]{40}$/.test(sha)

const isBytes = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0

function dateOf(time: unknown): string | undefined {
  const at = typeof time === 'string' ? Date.parse(time) : NaN
  return Number.isFinite(at) ? new Date(at).toISOString().slice(0, 10) : undefined
}

/**
 * The series of an entry, or undefined when it has no trend or no build of the base branch with
 * a size on the basis. `builds`: how many of the latest to show.
 */
export function trendSeries(entry: ReportEntry, builds = TREND_BUILDS): TrendSeries | undefined {
  if (!entry.trend) return undefined
  const basis = entry.comparison.basis
  const known = entry.trend.points.filter((p) => isBytes(pointBytes(p, basis)))
  const shown = known.slice(-Math.max(1, builds))
  if (shown.length === 0) return undefined
  const seen = new Map<string, number>()
  const points = shown.map((point, index): TrendPoint => {
    const sha = isSha(point.sha) ? point.sha : undefined
    const short = sha ? sha.slice(0, 7) : `build ${index + 1}`
    const times = (seen.get(short) ?? 0) + 1
    seen.set(short, times)
    return {
      label: times > 1 ? `${short} (${times})` : short,
      bytes: pointBytes(point, basis) as number,
      sha,
      date: dateOf(point.time),
      point,
    }
  })
  const head = entry.comparison.totals.headBytes
  const jumps = largestJumps(shown, basis, TREND_JUMPS).map((jump: SizeJump) => ({
    to: points[shown.indexOf(jump.to)],
    deltaBytes: jump.deltaBytes,
  }))
  return {
    branch: entry.trend.branch,
    basis,
    builds: points,
    pr: isBytes(head) ? { label: 'PR', bytes: head } : undefined,
    jumps,
  }
}

/** Every point drawn, the PR's last. */
export function drawnPoints(series: TrendSeries): TrendPoint[] {
  return series.pr ? [...series.builds, series.pr] : series.builds
}
