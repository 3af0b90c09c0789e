/** Size histories and a report entry for the trend renderers' tests (issue 11). */
import { compareImages } from '../../src/compare/compare.js'
import { evaluateBudget } from '../../src/budget/rules.js'
import type { SizePoint } from '../../src/model/size-history.js'
import type { Report, ReportEntry } from '../../src/report/report.js'
import { image } from '../support/images.js'

/** A 40-hex SHA whose short form is `n` written in hex, padded: sha(0xabc) = `0000abc…`. */
export const sha = (n: number) => n.toString(16).padStart(7, '0').padEnd(40, 'f')

/** `count` builds of main, one a day up to 2026-12-01, growing 1 MB a build, +30 MB at build 12. */
export function history(count: number): SizePoint[] {
  return Array.from({ length: count }, (_, i) => ({
    sha: sha(i + 1),
    time: new Date(Date.UTC(2026, 11, 1) - (count - 1 - i) * 86_400_000).toISOString(),
    key: 'app',
    uncompressedBytes: 100_000_000 + i * 1_000_000 + (i >= 11 ? 30_000_000 : 0),
    layers: 3,
    ...(i === 11
      ? {
          layerChanges: [{ instruction: 'RUN apt-get install -y texlive', deltaBytes: 30_500_000 }],
        }
      : {}),
  }))
}

/** The PR's entry: `headBytes` uncompressed against a base of `baseBytes`, with `points`. */
export function trendEntry(
  points: SizePoint[] | undefined,
  headBytes = 160_000_000,
  baseBytes = 150_000_000,
  branch = 'main',
): ReportEntry {
  const comparison = compareImages(
    image('app:main', [['a', 'COPY a', baseBytes]]),
    image('app:pr', [['a', 'COPY a', headBytes]]),
    { basis: 'uncompressed' },
  )
  const rules = evaluateBudget({}, comparison)
  return {
    comparison,
    rules,
    verdict: 'pass',
    findings: [],
    ...(points ? { trend: { branch, points } } : {}),
  }
}

export const reportOf = (entry: ReportEntry): Report => ({
  entries: [entry],
  verdict: entry.verdict,
})
