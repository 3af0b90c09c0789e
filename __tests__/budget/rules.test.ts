import { describe, expect, it } from '@jest/globals'
import { evaluateBudget } from '../../src/budget/rules.js'
import { worstVerdict } from '../../src/model/verdict.js'
import { compareImages } from '../../src/compare/compare.js'
import { image } from '../support/images.js'

const base = image('a:base', [['a', 'COPY a', 100_000_000]])
const head = image('a:pr', [
  ['a', 'COPY a', 100_000_000],
  ['b', 'RUN b', 12_000_000],
])
const grown = compareImages(base, head, { basis: 'uncompressed' }) // 112 MB, +12 MB, +12%
const first = compareImages(undefined, head, {
  basis: 'uncompressed',
  noBaseline: 'no base image was given',
})

describe('evaluateBudget', () => {
  it.each([
    [1, { maxSizeBytes: 200_000_000 }, 'pass', undefined],
    [2, { maxSizeBytes: 100_000_000 }, 'fail', 12_000_000],
    [3, { warnSizeBytes: 110_000_000 }, 'warn', 2_000_000],
    [4, { maxIncrease: { bytes: 20_000_000 } }, 'pass', undefined],
    [5, { maxIncrease: { bytes: 10_000_000 } }, 'fail', 2_000_000],
    [6, { maxIncrease: { percent: 10 } }, 'fail', 2],
    [7, { maxIncrease: { percent: 15 } }, 'pass', undefined],
    [8, { warnIncrease: { percent: 5 } }, 'warn', 7],
    [9, { maxLayers: 1 }, 'fail', 1],
    [10, { maxLayers: 2 }, 'pass', undefined],
    [11, { maxSizeBytes: 112_000_000 }, 'pass', undefined],
  ])('%i: %j → %s (overshoot %s)', (_n, budget, status, overshoot) => {
    const [result] = evaluateBudget(budget, grown)
    expect(result.status).toBe(status)
    if (overshoot === undefined) expect(result.overshoot).toBeUndefined()
    else expect(result.overshoot).toBeCloseTo(overshoot, 6)
  })

  it('gives actual, limit and overshoot in words', () => {
    const [bytes, percent] = evaluateBudget(
      { maxIncrease: { bytes: 10_000_000, percent: 10 } },
      grown,
    )
    expect(bytes.message).toBe('+12.0 MB is 2.00 MB over +10.0 MB')
    expect(percent.message).toBe('+12% is 2 percentage points over +10%')
  })

  it('skips increase rules without a baseline, but still checks the size', () => {
    const results = evaluateBudget(
      { maxSizeBytes: 1, maxIncrease: { bytes: 1, percent: 1 } },
      first,
    )
    expect(results.map((r) => r.status)).toEqual(['fail', 'skip', 'skip'])
    expect(results[1].message).toBe('skipped: no baseline: no base image was given')
  })

  it('warns that rules whose figures are unknown on the basis were not checked, never passes them', () => {
    const compressed = compareImages(base, head, { basis: 'compressed' })
    const results = evaluateBudget(
      { maxSizeBytes: 1, maxIncrease: { bytes: 1, percent: 1 } },
      compressed,
    )
    expect(results.map((r) => r.status)).toEqual(['warn', 'warn', 'warn'])
    expect(results[0].message).toBe(
      'not checked: compressed sizes are not known for a:pr and a:base',
    )
    expect(results.every((r) => r.actual === undefined)).toBe(true)
    expect(worstVerdict(results.map((r) => r.status))).toBe('warn')
  })

  it('an empty budget has no rules and passes', () => {
    expect(evaluateBudget({}, grown)).toEqual([])
    expect(worstVerdict([])).toBe('pass')
  })

  it('the verdict is the worst status', () => {
    const results = evaluateBudget({ warnSizeBytes: 1, maxLayers: 5 }, grown)
    expect(worstVerdict(results.map((r) => r.status))).toBe('warn')
    expect(
      worstVerdict(evaluateBudget({ warnSizeBytes: 1, maxLayers: 1 }, grown).map((r) => r.status)),
    ).toBe('fail')
  })
})
