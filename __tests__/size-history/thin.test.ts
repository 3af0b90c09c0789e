import { describe, expect, it } from '@jest/globals'
import type { SizePoint } from '../../src/model/size-history.js'
import { MAX_POINTS, mergePoints, thinPoints, weekOf } from '../../src/size-history/thin.js'

const NOW = new Date('2026-06-30T12:00:00Z')
const DAY = 86_400_000

/** A point `daysAgo` days before NOW; the SHA says which. */
function point(daysAgo: number, n: number, extra: Partial<SizePoint> = {}): SizePoint {
  return {
    sha: n.toString(16).padStart(40, '0'),
    time: new Date(NOW.getTime() - daysAgo * DAY).toISOString(),
    key: 'app',
    layers: 3,
    uncompressedBytes: 1000 + n,
    ...extra,
  }
}

describe('thinPoints', () => {
  it('1. keeps every point of the last 90 days', () => {
    const points = Array.from({ length: 90 }, (_, i) => point(i, i))
    expect(thinPoints(points, NOW)).toHaveLength(90)
  })

  it('2. keeps one point a week before that: the week’s last', () => {
    // 4 points a day for 28 days, 100..127 days ago: four whole or partial weeks → 5 at most.
    const old = Array.from({ length: 28 * 4 }, (_, i) => point(100 + i / 4, i))
    const kept = thinPoints(old, NOW)
    const weeks = new Set(old.map((p) => weekOf(Date.parse(p.time))))
    expect(kept).toHaveLength(weeks.size)
    for (const week of weeks) {
      const inWeek = old.filter((p) => weekOf(Date.parse(p.time)) === week)
      const last = inWeek.reduce((a, b) => (Date.parse(a.time) > Date.parse(b.time) ? a : b))
      expect(kept).toContainEqual(last)
    }
  })

  it('3. thins each platform on its own', () => {
    const amd = [
      point(200, 1, { platform: 'linux/amd64' }),
      point(199, 2, { platform: 'linux/amd64' }),
    ]
    const arm = [
      point(200, 3, { platform: 'linux/arm64' }),
      point(199, 4, { platform: 'linux/arm64' }),
    ]
    const days = new Set([...amd, ...arm].map((p) => weekOf(Date.parse(p.time))))
    expect(days.size).toBe(1) // 199 and 200 days ago share a week here
    const kept = thinPoints([...amd, ...arm], NOW)
    expect(kept.map((p) => p.sha)).toEqual([amd[1].sha, arm[1].sha])
  })

  it('4. never keeps more than MAX_POINTS, the newest', () => {
    const many = Array.from({ length: MAX_POINTS + 250 }, (_, i) => point(i / 20, i))
    const kept = thinPoints(many, NOW)
    expect(kept).toHaveLength(MAX_POINTS)
    expect(kept.at(-1)?.sha).toBe(many[0].sha)
    expect(kept[0].sha).toBe(many[MAX_POINTS - 1].sha)
  })

  it('5. returns oldest first whatever order it is given', () => {
    const kept = thinPoints([point(1, 1), point(3, 3), point(2, 2)], NOW)
    expect(kept.map((p) => p.sha.slice(-1))).toEqual(['3', '2', '1'])
  })

  it('6. a year of daily builds stays small: 91 daily (days 0 to 90) + one per week before', () => {
    const year = Array.from({ length: 365 }, (_, i) => point(i, i))
    const kept = thinPoints(year, NOW)
    const olderWeeks = new Set(year.slice(91).map((p) => weekOf(Date.parse(p.time))))
    expect(olderWeeks.size).toBeGreaterThanOrEqual(39)
    expect(kept).toHaveLength(91 + olderWeeks.size)
  })
})

describe('mergePoints', () => {
  it('1. keeps both writers’ points, oldest first', () => {
    const mine = [point(1, 1)]
    const theirs = [point(2, 2), point(0, 3)]
    expect(mergePoints(theirs, mine).map((p) => p.sha.slice(-1))).toEqual(['2', '1', '3'])
  })

  it('2. one point per key, platform and commit: the added one wins', () => {
    const stored = [point(1, 1, { uncompressedBytes: 5 })]
    const again = [point(1, 1, { uncompressedBytes: 7 })]
    expect(mergePoints(stored, again)).toEqual(again)
    const other = [point(1, 1, { platform: 'linux/arm64' })]
    expect(mergePoints(stored, other)).toHaveLength(2)
  })
})
