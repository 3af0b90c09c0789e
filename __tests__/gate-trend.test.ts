import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runGate, trendOf } from '../src/gate.js'
import type { SizeHistory, SizePoint } from '../src/model/size-history.js'
import { parseOptions } from '../src/options.js'
import { toJsonReport } from '../src/report/json-report.js'
import type { Logger } from '../src/util/log.js'
import { multiPlatformLayout, writeLayout } from './sources/archive/layouts.js'

// The gate hands each entry its trend and applies the drift budget with the other rules
// (issue 11). The images are the example archives and a generated layout: no engine.

const NOW = new Date('2026-12-03T12:00:00Z')
const log: Logger = { debug() {}, info() {}, warning() {} }
const point = (days: number, bytes: number, platform?: string): SizePoint => ({
  sha: days.toString(16).padStart(40, 'a'),
  time: new Date(NOW.getTime() - days * 86_400_000).toISOString(),
  key: 'app',
  uncompressedBytes: bytes,
  layers: 2,
  ...(platform ? { platform } : {}),
})

describe('trendOf', () => {
  const history: SizeHistory = {
    branch: 'main',
    points: [point(3, 1), point(2, 2, 'linux/arm64'), point(1, 3, 'linux/amd64')],
  }
  it.each([
    [1, undefined, [3]],
    [2, 'linux/arm64', [2]],
    [3, 'linux/amd64', [1]],
    [4, 'linux/s390x', []],
  ])('%i: the points of %s', (_n, label, days) => {
    expect(trendOf(history, label)).toEqual({
      branch: 'main',
      points: days.map((d) => history.points.find((p) => p.time === point(d, 0).time)),
    })
  })

  it('5: no history, no trend', () => {
    expect(trendOf(undefined, undefined)).toBeUndefined()
  })
})

describe('runGate with a size history', () => {
  const raw = {
    'base-image': 'docker-archive:examples/base.tar',
    'head-image': 'docker-archive:examples/pr.tar',
    'file-analysis': 'false',
  }

  it('1: gives the entry its trend and fails a drift the PR alone would not', async () => {
    const plain = await runGate(parseOptions(raw), { log })
    const head = plain.entries[0].comparison.totals.headBytes ?? 0
    const base = plain.entries[0].comparison.totals.baseBytes ?? 0
    expect(plain.entries[0].trend).toBeUndefined()
    // A start 2 MB below the PR image: +2 MB over 30 days, over a 1 MB drift budget.
    const start = head - 2e6
    expect(start).toBeGreaterThan(0)
    const history = { branch: 'main', points: [point(40, start), point(5, base)] }
    const options = {
      ...parseOptions({ ...raw, 'max-increase': '50%', 'max-drift': '1MB/30d' }),
      history,
    }
    const report = await runGate(options, { log, now: () => NOW })
    const entry = report.entries[0]
    expect(entry.trend).toEqual(history)
    expect(entry.rules.map((r) => [r.key, r.status, r.actual])).toEqual([
      ['max-increase', 'pass', expect.any(Number)],
      ['max-drift', 'fail', head - start],
    ])
    expect(report.verdict).toBe('fail')
    expect(toJsonReport(report, 'test').entries[0].budgets).toContainEqual(
      expect.objectContaining({ key: 'max-drift', status: 'fail' }),
    )
  })

  it('2: skips the drift budget without a history, and it does not change the verdict', async () => {
    const report = await runGate(parseOptions({ ...raw, 'warn-drift': '1B/30d' }), { log })
    expect(report.entries[0].rules).toEqual([
      expect.objectContaining({
        key: 'warn-drift',
        status: 'skip',
        message: 'skipped: no size history of the base branch',
      }),
    ])
    expect(report.verdict).toBe('pass')
  })

  describe('several platforms', () => {
    let dir: string
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'isg-trend-'))
      await writeLayout(dir, 'head', await multiPlatformLayout())
    })
    afterAll(() => rm(dir, { recursive: true, force: true }))

    it("3: measures each platform's drift against that platform's points", async () => {
      const history = {
        branch: 'main',
        points: [point(40, 0, 'linux/amd64'), point(40, 1e12, 'linux/arm64'), point(40, 1)],
      }
      const options = {
        ...parseOptions({
          'head-image': `oci:${join(dir, 'head')}`,
          platforms: 'linux/amd64,linux/arm64',
          'max-drift': '1B/30d',
          'file-analysis': 'false',
        }),
        history,
      }
      const report = await runGate(options, { log, now: () => NOW })
      expect(
        report.entries.map((e) => [e.label, e.trend?.points.length, e.rules[0].status]),
      ).toEqual([
        ['linux/amd64', 1, 'fail'],
        ['linux/arm64', 1, 'pass'],
      ])
    })
  })
})
