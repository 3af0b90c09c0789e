import { describe, expect, it } from '@jest/globals'
import { compareImages } from '../../src/compare/compare.js'
import type { Report } from '../../src/report/report.js'
import {
  HISTORY_CAPS,
  parseHistoryFile,
  serialiseHistoryFile,
} from '../../src/size-history/history-file.js'
import { pointsFromReport } from '../../src/size-history/points-from-report.js'
import { image } from '../support/images.js'

const CONTEXT = { key: 'app', sha: 'c'.repeat(40), time: new Date('2026-06-30T12:00:00Z') }
const base = image('app:main', [
  ['a', 'FROM debian', 80_000_000],
  ['b', 'RUN apt-get install -y curl', 10_000_000],
])
const head = image('app:pr', [
  ['a', 'FROM debian', 80_000_000],
  ['c', 'RUN apt-get install -y curl build-essential', 60_000_000],
  ['d', 'COPY . /app', 2_000_000],
])

const report = (comparison = compareImages(base, head, { basis: 'uncompressed' })): Report => ({
  verdict: 'pass',
  entries: [{ comparison, rules: [], verdict: 'pass', findings: [] }],
})

describe('pointsFromReport', () => {
  it('1. one point per entry: the PR image’s figures and its largest layer changes', () => {
    const [point] = pointsFromReport(report(), CONTEXT)
    expect(point).toEqual({
      sha: CONTEXT.sha,
      time: '2026-06-30T12:00:00.000Z',
      key: 'app',
      layers: 3,
      uncompressedBytes: 142_000_000,
      layerChanges: [
        // Largest first, by size of change: an added step, a removed one, an added one
        { instruction: 'RUN apt-get install -y curl build-essential', deltaBytes: 60_000_000 },
        { instruction: 'RUN apt-get install -y curl', deltaBytes: -10_000_000 },
        { instruction: 'COPY . /app', deltaBytes: 2_000_000 },
      ],
    })
  })

  it('2. without a baseline: the figures, no layer changes', () => {
    const alone = compareImages(undefined, head, { basis: 'uncompressed', noBaseline: 'none' })
    const [point] = pointsFromReport(report(alone), CONTEXT)
    expect(point.uncompressedBytes).toBe(142_000_000)
    expect(point.layerChanges).toBeUndefined()
  })

  it('3. a long instruction of astral characters is cut so that it reads back', () => {
    const emoji = '😀'.repeat(400) // 800 UTF-16 units
    const wide = image('app:pr', [['e', `RUN echo ${emoji}`, 5]])
    const [point] = pointsFromReport(
      report(compareImages(base, wide, { basis: 'uncompressed' })),
      CONTEXT,
    )
    const text = serialiseHistoryFile({ branch: 'main', key: 'app', points: [point] })
    const [read] = parseHistoryFile(text, { branch: 'main', key: 'app' }).points
    const instruction = read.layerChanges?.find((c) =>
      c.instruction.startsWith('RUN echo'),
    )?.instruction
    expect(instruction?.length).toBeLessThanOrEqual(HISTORY_CAPS.instructionChars)
    expect(instruction?.length).toBeGreaterThan(HISTORY_CAPS.instructionChars - 2)
    expect(instruction).not.toMatch(/[\uD800-\uDBFF]$/) // no half surrogate pair
  })
})
