/**
 * The budget on drift (issue 11): how far the PR would take the image above its size at the
 * start of a window of the base branch's history, however small the PR's own increase. The
 * history is untrusted data: a point without a size on the basis or a readable time is left out.
 */
import type { Comparison } from '../compare/compare.js'
import { pointBytes, type SizePoint } from '../model/size-history.js'
import type { DriftLimit } from './budget.js'
import type { Measured, Rule } from './rule.js'

const DAY_MS = 24 * 60 * 60 * 1000

/**
 * How much older than the window's start the oldest point may be missing by: a history that
 * starts a little after it (10% of the window, at least a day) still measures the window.
 */
export function driftTolerance(windowDays: number): number {
  return Math.max(1, windowDays / 10) * DAY_MS
}

/** What the drift rules measure against: the entry's points (one platform), oldest first. */
export interface DriftContext {
  /** The recorded branch, e.g. `main` (for the notes) */
  branch: string
  points: readonly SizePoint[]
  now: Date
  /** Why the history is empty or partial (SizeHistory.warning), said when it is empty */
  warning?: string
}

/** The point the window starts at and its size on the run's basis. */
export interface WindowStart {
  point: SizePoint
  bytes: number
}

/**
 * The size at `now − windowDays`: the last point at or before that time (the image kept that size
 * until the next build), or the oldest point when the history starts within the tolerance after
 * it; otherwise why not.
 */
export function findWindowStart(
  context: DriftContext | undefined,
  basis: Comparison['basis'],
  windowDays: number,
): WindowStart | { skip: string } {
  if (!context) return { skip: 'no size history of the base branch' }
  if (context.points.length === 0)
    return {
      skip: `no size history of ${context.branch}${context.warning ? `: ${context.warning}` : ' yet'}`,
    }
  const known = context.points
    .map((point) => ({ point, bytes: pointBytes(point, basis), at: Date.parse(point.time) }))
    .filter(
      (p): p is WindowStart & { at: number } =>
        Number.isSafeInteger(p.bytes) && (p.bytes as number) >= 0 && Number.isFinite(p.at),
    )
    .filter((p) => p.at <= context.now.getTime())
    .sort((a, b) => a.at - b.at)
  if (known.length === 0) return { skip: `no ${basis} sizes in the history of ${context.branch}` }
  const target = context.now.getTime() - windowDays * DAY_MS
  const before = known.filter((p) => p.at <= target)
  const start = before.length > 0 ? before[before.length - 1] : known[0]
  if (start.at - target > driftTolerance(windowDays)) {
    const days = Math.floor((context.now.getTime() - start.at) / DAY_MS)
    return { skip: `history too short: ${days} days of ${windowDays}` }
  }
  return { point: start.point, bytes: start.bytes }
}

/** `since 0a1b2c3 (2026-11-03)`: the SHA only when it is hex, the date from the parsed time. */
function since(start: WindowStart): string {
  const sha = /^[0-9a-f]{7,40}$/.test(start.point.sha) ? `${start.point.sha.slice(0, 7)} ` : ''
  return `since ${sha}(${new Date(Date.parse(start.point.time)).toISOString().slice(0, 10)})`
}

/** `max-drift` / `warn-drift`: one rule per part of the limit (bytes, percent), as max-increase. */
export function driftRules(
  key: 'max-drift' | 'warn-drift',
  limit: DriftLimit | undefined,
  breach: 'warn' | 'fail',
  context: DriftContext | undefined,
): Rule[] {
  if (!limit) return []
  const rules: Rule[] = []
  const growth = (c: Comparison, percent: boolean): Measured => {
    const start = findWindowStart(context, c.basis, limit.windowDays)
    if ('skip' in start) return start
    const head = c.totals.headBytes
    if (head === undefined)
      return { unknown: `${c.basis} sizes are not known for ${c.head.reference}` }
    if (!percent) return head - start.bytes
    if (start.bytes === 0) return { skip: 'no percentage of an empty image' }
    return ((head - start.bytes) / start.bytes) * 100
  }
  const after = (c: Comparison) => describeStart(c, limit, context)
  if (limit.bytes !== undefined) {
    const measure = (c: Comparison) => growth(c, false)
    rules.push({ key, unit: 'bytes', limit: limit.bytes, breach, measure, after })
  }
  if (limit.percent !== undefined) {
    const measure = (c: Comparison) => growth(c, true)
    rules.push({ key, unit: 'percent', limit: limit.percent, breach, measure, after })
  }
  return rules
}

/** The words after a drift rule's sentence: what it measured against. */
function describeStart(
  c: Comparison,
  limit: DriftLimit,
  context: DriftContext | undefined,
): string {
  const start = findWindowStart(context, c.basis, limit.windowDays)
  return 'skip' in start ? '' : ` ${since(start)}, over ${limit.windowDays} days`
}
