import { describe, expect, it } from '@jest/globals'
import { parseBudget, parseDriftLimit } from '../../src/budget/budget.js'
import { findWindowStart, type DriftContext } from '../../src/budget/drift.js'
import { evaluateBudget } from '../../src/budget/rules.js'
import { compareImages } from '../../src/compare/compare.js'
import type { SizePoint } from '../../src/model/size-history.js'
import { inputProblemText } from '../../src/util/errors.js'
import { image } from '../support/images.js'

// The budget on drift (issue 11, item 3): growth over a window of the base branch's history.

const NOW = new Date('2026-12-03T12:00:00Z')
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString()
const sha = (n: number) => n.toString(16).padStart(40, '0')
const point = (days: number, bytes: number | undefined, extra: Partial<SizePoint> = {}) =>
  ({
    sha: sha(days),
    time: daysAgo(days),
    key: 'app',
    uncompressedBytes: bytes,
    layers: 3,
    ...extra,
  }) as SizePoint

// main grew 100 → 105 → 118 MB over 60 days; the PR adds only 1 MB to the last build.
const HISTORY = [point(60, 100e6), point(31, 105e6), point(10, 118e6)]
const base = image('a:base', [['a', 'COPY a', 118e6]])
const head = image('a:pr', [
  ['a', 'COPY a', 118e6],
  ['b', 'RUN b', 1e6],
])
const pr = compareImages(base, head, { basis: 'uncompressed' }) // 119 MB, +1 MB
const context = (points: SizePoint[], warning?: string): DriftContext => ({
  branch: 'main',
  points,
  now: NOW,
  warning,
})

describe('parseDriftLimit', () => {
  it.each([
    [1, '10%/30d', { percent: 10, windowDays: 30 }],
    [2, '50MB/90d', { bytes: 50e6, windowDays: 90 }],
    [3, '50MiB/12w', { bytes: 50 * 1024 ** 2, windowDays: 84 }],
    [4, ' 20MB,5% / 1d ', { bytes: 20e6, percent: 5, windowDays: 1 }],
    [5, '1GB/730D', { bytes: 1e9, windowDays: 730 }],
  ])('%i: %j', (_n, text, value) => {
    expect(parseDriftLimit(text)).toEqual({ value })
  })

  it.each([
    [6, 'off', {}],
    [7, '', {}],
  ])('%i: %j is off', (_n, text, value) => {
    expect(parseDriftLimit(text)).toEqual(value)
  })

  it.each([
    [8, '10%'],
    [9, '30d'],
    [10, '10%/0d'],
    [11, '10%/731d'],
    [12, '10%/105w'],
    [13, '10%/30m'],
    [14, 'off/30d'],
    [15, '150%/30d'],
    [16, '10XB/30d'],
    [17, '10%/-3d'],
    [18, '10%/30d/2'],
  ])('%i: %j is rejected', (_n, text) => {
    expect(parseDriftLimit(text)).toHaveProperty('error')
  })

  it('reports a bad value in one line naming the input, with the others', () => {
    const problems = parseBudget({
      'max-drift': '10%',
      'warn-drift': '5%/1000d',
      'max-size': '1XB',
    }).problems.map(inputProblemText)
    expect(problems).toEqual([
      expect.stringMatching(/^Input "max-size" has the value "1XB"/),
      expect.stringMatching(
        /^Input "max-drift" has the value "10%"; expected a growth and a window such as 10%\/30d/,
      ),
      expect.stringMatching(
        /^Input "warn-drift" has the value "5%\/1000d"; .*the window is 1000 days\.$/,
      ),
    ])
    for (const line of problems) expect(line).not.toContain('\n')
  })

  it('rejects warn-drift above max-drift over the same window, not over another one', () => {
    const same = parseBudget({ 'max-drift': '10%/30d', 'warn-drift': '20%/30d' })
    expect(same.problems.map(inputProblemText)).toEqual([
      expect.stringMatching(/"warn-drift".*at most max-drift \(10%\/30d\)/),
    ])
    expect(parseBudget({ 'max-drift': '10%/30d', 'warn-drift': '20%/90d' }).problems).toEqual([])
    expect(parseBudget({ 'max-drift': '10%/30d', 'warn-drift': '5%/30d' }).budget).toMatchObject({
      maxDrift: { percent: 10, windowDays: 30 },
      warnDrift: { percent: 5, windowDays: 30 },
    })
  })
})

describe('findWindowStart', () => {
  it.each([
    [1, 'the last point at or before the start', HISTORY, 30, 31],
    [2, 'a point exactly at the start', HISTORY, 31, 31],
    [3, 'the oldest point when it is just after the start (within 10%)', HISTORY, 63, 60],
    [4, 'the oldest point within a day of a short window', [point(6.5, 1)], 7, 6.5],
    [5, 'points out of order', [...HISTORY].reverse(), 30, 31],
  ])('%i: %s', (_n, _what, points, windowDays, startDaysAgo) => {
    const start = findWindowStart(context(points), 'uncompressed', windowDays)
    expect(start).toHaveProperty('point.time', daysAgo(startDaysAgo))
  })

  it.each([
    [6, undefined, 30, 'no size history of the base branch'],
    [7, context([]), 30, 'no size history of main yet'],
    [
      8,
      context([], 'the history branch is unreadable'),
      30,
      'no size history of main: the history branch is unreadable',
    ],
    [9, context(HISTORY), 90, 'history too short: 60 days of 90'],
    [10, context([point(5, undefined)]), 1, 'no uncompressed sizes in the history of main'],
    [
      11,
      context([point(5, 1, { time: 'yesterday' })]),
      1,
      'no uncompressed sizes in the history of main',
    ],
    [12, context([point(-5, 1)]), 1, 'no uncompressed sizes in the history of main'],
    [13, context([point(5, -1), point(4, 1.5)]), 1, 'no uncompressed sizes in the history of main'],
  ])('%i: skips: %#', (_n, ctx, windowDays, skip) => {
    expect(findWindowStart(ctx, 'uncompressed', windowDays)).toEqual({ skip })
  })

  it('reads the basis of the run', () => {
    const points = [
      point(40, 100, { compressedBytes: 40 }),
      point(20, 200, { compressedBytes: 50 }),
    ]
    expect(findWindowStart(context(points), 'compressed', 30)).toEqual({
      point: points[0],
      bytes: 40,
    })
  })
})

describe('evaluateBudget: max-drift and warn-drift', () => {
  it.each([
    // 30 days ago main was 105 MB: the PR's 119 MB is +14 MB, +13.3%.
    [1, { maxDrift: { bytes: 20e6, windowDays: 30 } }, 'pass', 14e6],
    [2, { maxDrift: { bytes: 10e6, windowDays: 30 } }, 'fail', 14e6],
    [3, { warnDrift: { bytes: 10e6, windowDays: 30 } }, 'warn', 14e6],
    [4, { maxDrift: { percent: 10, windowDays: 30 } }, 'fail', 13.333],
    [5, { maxDrift: { percent: 15, windowDays: 30 } }, 'pass', 13.333],
    // 60 days ago: 100 MB, +19 MB.
    [6, { maxDrift: { bytes: 18e6, windowDays: 60 } }, 'fail', 19e6],
    // 7 days ago the last build was 10 days old: +1 MB.
    [7, { maxDrift: { bytes: 2e6, windowDays: 7 } }, 'pass', 1e6],
  ])('%i: %j → %s', (_n, budget, status, actual) => {
    const [result] = evaluateBudget(budget, pr, undefined, context(HISTORY))
    expect(result.key).toBe('maxDrift' in budget ? 'max-drift' : 'warn-drift')
    expect(result.status).toBe(status)
    expect(result.actual).toBeCloseTo(actual, 3)
  })

  it('fails a small PR on a large drift, and says since when', () => {
    const results = evaluateBudget(
      { maxIncrease: { bytes: 5e6 }, maxDrift: { bytes: 10e6, windowDays: 30 } },
      pr,
      undefined,
      context(HISTORY),
    )
    expect(results.map((r) => [r.key, r.status])).toEqual([
      ['max-increase', 'pass'],
      ['max-drift', 'fail'],
    ])
    expect(results[1].overshoot).toBe(4e6)
    expect(results[1].message).toBe(
      `+14.0 MB is 4.00 MB over +10.0 MB since ${sha(31).slice(0, 7)} (${daysAgo(31).slice(0, 10)}), over 30 days`,
    )
  })

  it('gives a rule for each part of the limit, after max-layers', () => {
    const results = evaluateBudget(
      {
        maxLayers: 9,
        maxDrift: { bytes: 1, percent: 1, windowDays: 30 },
        warnDrift: { percent: 1, windowDays: 7 },
      },
      pr,
      undefined,
      context(HISTORY),
    )
    expect(results.map((r) => `${r.key}:${r.unit}`)).toEqual([
      'max-layers:layers',
      'max-drift:bytes',
      'max-drift:percent',
      'warn-drift:percent',
    ])
  })

  it.each([
    [1, undefined, 'skipped: no size history of the base branch'],
    [2, context([]), 'skipped: no size history of main yet'],
    [3, context(HISTORY.slice(1)), 'skipped: history too short: 31 days of 60'],
    [4, context([point(60, 0)]), 'skipped: no percentage of an empty image'],
  ])('%i: skips with a note: %s', (_n, ctx, message) => {
    const [result] = evaluateBudget(
      { maxDrift: { percent: 1, windowDays: 60 } },
      pr,
      undefined,
      ctx,
    )
    expect(result).toMatchObject({ status: 'skip', message })
    expect(result.actual).toBeUndefined()
  })

  it('warns, never passes, when the PR image has no size on the basis', () => {
    const compressed = compareImages(base, head, { basis: 'compressed' })
    const points = [point(40, 1, { compressedBytes: 1 })]
    const [result] = evaluateBudget(
      { maxDrift: { bytes: 1e9, windowDays: 30 } },
      compressed,
      undefined,
      context(points),
    )
    expect(result).toMatchObject({
      status: 'warn',
      message: 'not checked: compressed sizes are not known for a:pr',
    })
  })

  it('measures without a baseline: the history is the reference', () => {
    const first = compareImages(undefined, head, { basis: 'uncompressed', noBaseline: 'none' })
    const [result] = evaluateBudget(
      { maxDrift: { bytes: 1e6, windowDays: 30 } },
      first,
      undefined,
      context(HISTORY),
    )
    expect(result).toMatchObject({ status: 'fail', actual: 14e6 })
  })
})
