import { describe, expect, it } from '@jest/globals'
import { renderComment, renderJobSummary } from '../../src/render/comment.js'
import { renderTerminal } from '../../src/render/terminal.js'
import { formatSeconds } from '../../src/render/build-times.js'
import { toJsonReport } from '../../src/report/json-report.js'
import { parseReport } from '../../src/report/read-report.js'
import type { Report } from '../../src/report/report.js'
import { reportWith } from './file-fixtures.js'

function report(builds?: Report['builds']): Report {
  const plain = reportWith(undefined)
  return builds ? { ...plain, builds } : plain
}

const BUILDS = {
  head: { seconds: 41.234, steps: 5, cachedSteps: 2 },
  base: { seconds: 3.04, steps: 5, cachedSteps: 4 },
}
const SENTENCE =
  'Build times: PR image 41.2 s (2 of 5 steps from the cache), base image 3.0 s (4 of 5 steps from the cache).'

describe('build times', () => {
  it('1: the job summary and the comment say them in one line', () => {
    expect(renderJobSummary(report(BUILDS))).toContain(`<sub>${SENTENCE}</sub>`)
    expect(renderComment(report(BUILDS))).toContain(SENTENCE)
  })

  it('2: nothing when no image was built', () => {
    expect(renderJobSummary(report())).not.toContain('Build times')
    expect(renderTerminal(report())).not.toContain('Build times')
  })

  it('3: the terminal ends with the line', () => {
    expect(renderTerminal(report(BUILDS)).trimEnd().split('\n').at(-1)).toBe(SENTENCE)
  })

  it('4: a failed base build, and a build whose steps are not known', () => {
    const builds = {
      head: { seconds: 125.6 },
      base: { seconds: 0.4, steps: 1, cachedSteps: 0, failed: true },
    }
    expect(renderTerminal(report(builds))).toContain(
      'Build times: PR image 2 min 6 s, base image 0.4 s, failed (0 of 1 step from the cache).',
    )
  })

  it('5: the JSON report has them since 1.4, null for an image not built', () => {
    const json = toJsonReport(report({ head: BUILDS.head }), 'test')
    expect(json.builds).toEqual({
      head: { seconds: 41.23, steps: 5, cachedSteps: 2, failed: false },
      base: null,
    })
    expect(toJsonReport(report(), 'test')).not.toHaveProperty('builds')
  })

  it('6: a report read back (aggregate, publish) keeps them', () => {
    const read = parseReport(JSON.stringify(toJsonReport(report(BUILDS), 'test')))
    expect(read.builds).toEqual({
      head: { seconds: 41.23, steps: 5, cachedSteps: 2 },
      base: { seconds: 3.04, steps: 5, cachedSteps: 4 },
    })
  })

  it.each<[number, Record<string, unknown>, string]>([
    [1, { seconds: -1, steps: null, cachedSteps: null, failed: false }, '$.builds.head.seconds'],
    [2, { seconds: 1, steps: 2, cachedSteps: 3, failed: false }, '$.builds.head.cachedSteps'],
    [3, { seconds: '1', steps: null, cachedSteps: null, failed: false }, '$.builds.head.seconds'],
  ])('6.%i: a hostile build time is refused, naming its field', (_n, head, path) => {
    const json = { ...toJsonReport(report(), 'test'), builds: { head, base: null } }
    expect(() => parseReport(JSON.stringify(json))).toThrow(path)
  })

  it.each([
    [0.04, '0.0 s'],
    [59.94, '59.9 s'],
    [60, '1 min 0 s'],
    [3599.6, '60 min 0 s'],
  ])('7: %d seconds read %s', (seconds, text) => {
    expect(formatSeconds(seconds)).toBe(text)
  })
})
