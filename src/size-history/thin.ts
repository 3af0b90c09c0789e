/**
 * Keeps the store small forever: every point of the last 90 days, one a week before that (per
 * key and platform: the week's last), and never more than MAX_POINTS per file (the newest kept).
 * Applied on every write, so a file never grows past what the next write would leave.
 */
import type { SizePoint } from '../model/size-history.js'
import { sortPoints } from './history-file.js'

/** Days during which every recorded build is kept */
export const FULL_DAYS = 90
/**
 * Points kept per file at most: a year of weekly points per platform leaves room for about 800
 * builds in the last 90 days (9 a day); a busier branch keeps its newest.
 */
export const MAX_POINTS = 1000

const DAY_MS = 86_400_000

export interface ThinOptions {
  /** Default FULL_DAYS */
  fullDays?: number
  /** Default MAX_POINTS */
  maxPoints?: number
}

/** `points` thinned as of `now`, oldest first. */
export function thinPoints(
  points: readonly SizePoint[],
  now: Date,
  options: ThinOptions = {},
): SizePoint[] {
  const fullFrom = now.getTime() - (options.fullDays ?? FULL_DAYS) * DAY_MS
  const maxPoints = options.maxPoints ?? MAX_POINTS
  const sorted = sortPoints([...points])
  // The last point of each (key, platform, week) older than the window; sorted, so later wins.
  const weekly = new Map<string, SizePoint>()
  for (const point of sorted) {
    const time = Date.parse(point.time)
    if (time >= fullFrom) continue
    weekly.set(`${point.key}\0${point.platform ?? ''}\0${weekOf(time)}`, point)
  }
  const kept = new Set(weekly.values())
  const thinned = sorted.filter((point) => Date.parse(point.time) >= fullFrom || kept.has(point))
  return thinned.slice(Math.max(0, thinned.length - maxPoints))
}

/** The week (Monday to Sunday, UTC) a time falls in, counted from 1969-12-29. */
export function weekOf(timeMs: number): number {
  // 1970-01-01 was a Thursday: three days later than a Monday.
  return Math.floor((Math.floor(timeMs / DAY_MS) + 3) / 7)
}

/**
 * `stored` with `added` merged in: one point per key, platform and commit (a re-run of a commit
 * replaces its point), oldest first. What a write after a moved branch re-reads and merges, so
 * no racing writer loses its points.
 */
export function mergePoints(
  stored: readonly SizePoint[],
  added: readonly SizePoint[],
): SizePoint[] {
  const byId = new Map<string, SizePoint>()
  for (const point of [...stored, ...added])
    byId.set(`${point.key}\0${point.platform ?? ''}\0${point.sha}`, point)
  return sortPoints([...byId.values()])
}
