import { describe, expect, it } from '@jest/globals'
import type { Budget } from '../../src/budget/budget.js'
import { evaluateBudget } from '../../src/budget/rules.js'
import { compareImages } from '../../src/compare/compare.js'
import type { FileComparison, ImageFiles, SecretFile } from '../../src/model/files.js'
import { worstVerdict } from '../../src/model/verdict.js'
import { image } from '../support/images.js'

/**
 * The budgets on the file analysis, on FileComparison objects built by hand: each rule's pass,
 * warn, fail and skip, and what it says.
 */

const base = image('a:base', [
  ['a', 'FROM debian', 80_000_000],
  ['b', 'COPY app', 20_000_000],
])
const head = image('a:pr', [
  ['a', 'FROM debian', 80_000_000],
  ['c', 'RUN apt-get install', 30_000_000],
  ['d', 'COPY .env', 1_000],
])
const comparison = compareImages(base, head, { basis: 'uncompressed' })
const noBaseline = compareImages(undefined, head, {
  basis: 'uncompressed',
  noBaseline: 'no base image was given',
})

function files(figures: Partial<ImageFiles> = {}): ImageFiles {
  return {
    count: 100,
    bytes: 110_000_000,
    reclaimableBytes: 12_000_000,
    dive: {
      efficiency: 0.9844212134184309,
      wastedBytes: 32_025,
      userSizeBytes: 66_237,
      wastedUserPercent: 0.4834911001404049,
    },
    largest: [],
    directories: [],
    view: new Map(),
    hidden: [],
    packages: [],
    secrets: [],
    manifests: [],
    os: null,
    ...figures,
  }
}

function pair(head: Partial<ImageFiles> = {}, reclaimableAddedBytes = 3_000_000): FileComparison {
  return { base: files(), head: files(head), changes: [], packages: [], reclaimableAddedBytes }
}

const only = (budget: Budget, files?: FileComparison, c = comparison) => {
  const results = evaluateBudget(budget, c, files)
  expect(results).toHaveLength(1)
  return results[0]
}

describe('max-reclaimable, max-reclaimable-increase', () => {
  it.each([
    [1, { maxReclaimableBytes: 20e6 }, 'pass', 12e6, undefined, '12.0 MB is within 20.0 MB'],
    [2, { maxReclaimableBytes: 12e6 }, 'pass', 12e6, undefined, '12.0 MB is within 12.0 MB'],
    [3, { maxReclaimableBytes: 10e6 }, 'fail', 12e6, 2e6, '12.0 MB is 2.00 MB over 10.0 MB'],
    [
      4,
      { maxReclaimableIncreaseBytes: 5e6 },
      'pass',
      3e6,
      undefined,
      '+3.00 MB is within +5.00 MB',
    ],
    [
      5,
      { maxReclaimableIncreaseBytes: 1e6 },
      'fail',
      3e6,
      2e6,
      '+3.00 MB is 2.00 MB over +1.00 MB',
    ],
  ])('%i: %j → %s', (_n, budget, status, actual, overshoot, message) => {
    expect(only(budget, pair())).toEqual({
      key:
        Object.keys(budget)[0] === 'maxReclaimableBytes'
          ? 'max-reclaimable'
          : 'max-reclaimable-increase',
      unit: 'bytes',
      status,
      limit: Object.values(budget)[0],
      actual,
      ...(overshoot === undefined ? {} : { overshoot }),
      message,
    })
  })

  it('the increase is skipped without a baseline; the image total is still checked', () => {
    const results = evaluateBudget(
      { maxReclaimableBytes: 1, maxReclaimableIncreaseBytes: 1 },
      noBaseline,
      { ...pair(), base: undefined },
    )
    expect(results.map((r) => [r.key, r.status, r.message])).toEqual([
      ['max-reclaimable', 'fail', '12.0 MB is 12.0 MB over 1 B'],
      ['max-reclaimable-increase', 'skip', 'skipped: no baseline: no base image was given'],
    ])
  })

  it('a base image without file figures leaves the increase not checked (a warning)', () => {
    const result = only({ maxReclaimableIncreaseBytes: 1 }, { ...pair(), base: undefined })
    expect([result.status, result.message]).toEqual([
      'warn',
      "not checked: the base image's files are not known",
    ])
  })
})

describe("dive's figures: min-efficiency, max-wasted-bytes, max-wasted-user-percent", () => {
  it.each([
    [1, { minEfficiency: 0.95 }, 'pass', undefined, '98.44% is at least 95.00%'],
    [2, { minEfficiency: 0.9844212134184309 }, 'pass', undefined, '98.44% is at least 98.44%'],
    [
      3,
      { minEfficiency: 0.99 },
      'fail',
      0.99 - 0.9844212134184309,
      '98.44% is 0.56 percentage points under 99.00%',
    ],
    [4, { maxWastedBytes: 40_000 }, 'pass', undefined, '32.0 kB is within 40.0 kB'],
    [5, { maxWastedBytes: 32_025 }, 'pass', undefined, '32.0 kB is within 32.0 kB'],
    [6, { maxWastedBytes: 30_000 }, 'fail', 2_025, '32.0 kB is 2.02 kB over 30.0 kB'],
    [7, { maxWastedUserRatio: 0.5 }, 'pass', undefined, '48.35% is within 50.00%'],
    [
      8,
      { maxWastedUserRatio: 0.2 },
      'fail',
      0.4834911001404049 - 0.2,
      '48.35% is 28.35 percentage points over 20.00%',
    ],
  ])('%i: %j → %s', (_n, budget, status, overshoot, message) => {
    const result = only(budget, pair())
    expect(result.status).toBe(status)
    expect(result.message).toBe(message)
    if (overshoot === undefined) expect(result.overshoot).toBeUndefined()
    else expect(result.overshoot).toBeCloseTo(overshoot, 12)
  })

  it('compares on dive’s exact figures, not on rounded ones', () => {
    const head = files({ dive: { ...files().dive, efficiency: 0.9499999999 } })
    expect(only({ minEfficiency: 0.95 }, pair(head)).status).toBe('fail')
    expect(only({ minEfficiency: 0.95 }, pair(head)).actual).toBe(0.9499999999)
  })

  it('reports ratios in their own unit, as dive gives them', () => {
    const result = only({ maxWastedUserRatio: 0.2 }, pair())
    expect([result.unit, result.limit, result.actual]).toEqual(['ratio', 0.2, 0.4834911001404049])
  })

  it('skips the wasted-user percent of an image with nothing above its first layer', () => {
    const head = files({ dive: { ...files().dive, userSizeBytes: 0, wastedUserPercent: null } })
    const result = only({ maxWastedUserRatio: 0.1 }, pair(head))
    expect([result.status, result.actual]).toEqual(['skip', undefined])
    expect(result.message).toMatch(/^skipped: dive's wasted-user percent is not defined/)
  })
})

describe('without file figures', () => {
  const all: Budget = {
    maxReclaimableBytes: 1,
    maxReclaimableIncreaseBytes: 1,
    minEfficiency: 0.5,
    maxWastedBytes: 1,
    maxWastedUserRatio: 0.5,
    secrets: 'fail',
  }

  it('skips every file budget, with its reason, when file-analysis is false', () => {
    const results = evaluateBudget({ ...all, fileAnalysis: false }, comparison, undefined)
    expect(results.map((r) => r.key)).toEqual([
      'max-reclaimable',
      'max-reclaimable-increase',
      'min-efficiency',
      'max-wasted-bytes',
      'max-wasted-user-percent',
      'secrets',
    ])
    for (const r of results) {
      expect([r.key, r.status, r.message]).toEqual([
        r.key,
        'skip',
        'skipped: the file analysis is off (file-analysis: false)',
      ])
    }
  })

  it('warns that they were not checked when the analysis was on but did not run, never passes', () => {
    const results = evaluateBudget(all, comparison, undefined)
    expect(results.map((r) => r.status)).toEqual(Array(6).fill('warn'))
    expect(results[0].message).toBe(
      'not checked: the file analysis did not run, so the files are not known',
    )
    expect(results.every((r) => r.actual === undefined)).toBe(true)
    expect(worstVerdict(results.map((r) => r.status))).toBe('warn')
  })
})

describe('secrets', () => {
  const secret = (
    path: string,
    kind: SecretFile['kind'],
    layer: number,
    visible = true,
  ): SecretFile => ({
    path,
    kind,
    layer,
    visible,
  })
  // Layer 1 (diff ID a) is the base image's too; layers 2 and 3 are the PR's own.
  const inBase = secret('/root/.ssh/id_rsa', 'private-key', 1)
  const own = secret('/app/.env', 'env-file', 3)
  const hidden = secret('/root/.npmrc', 'npm-token', 2, false)

  it.each([
    [1, 'fail', [], 'pass', 0, 'no secret files in the PR image'],
    [2, 'fail', [own], 'fail', 1, "1 secret file in the PR's own layers (env-file)"],
    [3, 'warn', [own], 'warn', 1, "1 secret file in the PR's own layers (env-file)"],
    [
      4,
      'fail',
      [own, hidden, inBase],
      'fail',
      3,
      "2 secret files in the PR's own layers (env-file, npm-token); 1 more already in the base image's layers",
    ],
    [5, 'fail', [hidden], 'fail', 1, "1 secret file in the PR's own layers (npm-token)"],
    [
      6,
      'fail',
      [inBase],
      'warn',
      1,
      '1 secret file (private-key), only in layers the base image already has',
    ],
    [
      7,
      'warn',
      [inBase],
      'warn',
      1,
      '1 secret file (private-key), only in layers the base image already has',
    ],
  ] as const)('%i: secrets %s with %j → %s', (_n, breach, secrets, status, actual, message) => {
    const result = only({ secrets: breach }, pair({ secrets: [...secrets] }))
    expect(result).toEqual({
      key: 'secrets',
      unit: 'files',
      limit: 0,
      status,
      actual,
      ...(actual > 0 ? { overshoot: actual } : {}),
      message,
    })
  })

  it('without a baseline every secret is the PR’s', () => {
    const result = only(
      { secrets: 'fail' },
      { ...pair({ secrets: [inBase] }), base: undefined },
      noBaseline,
    )
    expect([result.status, result.message]).toEqual([
      'fail',
      "1 secret file in the PR's own layers (private-key)",
    ])
  })

  it('the default (secrets left empty) is left out with file-analysis false, skipped when the analysis did not run', () => {
    const byDefault: Budget = { secrets: 'fail', secretsByDefault: true }
    expect(evaluateBudget({ ...byDefault, fileAnalysis: false }, comparison, undefined)).toEqual([])
    const [skipped] = evaluateBudget(byDefault, comparison, undefined)
    expect([skipped.status, skipped.message]).toEqual([
      'skip',
      'skipped: the file analysis did not run, so the files are not known',
    ])
    expect(only(byDefault, pair({ secrets: [own] })).status).toBe('fail')
  })

  it('secrets off: no rule', () => {
    expect(evaluateBudget({}, comparison, pair({ secrets: [own] }))).toEqual([])
  })

  it('never puts a path in its message (paths are untrusted; the finding names them)', () => {
    const result = only(
      { secrets: 'fail' },
      pair({ secrets: [secret('/x/<b>@everyone', 'netrc', 3)] }),
    )
    expect(result.message).not.toContain('/x/')
  })

  it('comes after the other rules', () => {
    const results = evaluateBudget(
      { secrets: 'fail', maxLayers: 10, minEfficiency: 0.5 },
      comparison,
      pair(),
    )
    expect(results.map((r) => r.key)).toEqual(['max-layers', 'min-efficiency', 'secrets'])
  })
})
