import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { evaluateBudget } from '../../src/budget/rules.js'
import { compareImages } from '../../src/compare/compare.js'
import { explainGrowth } from '../../src/explain/explain.js'
import { worstVerdict } from '../../src/model/verdict.js'
import { renderComment, renderJobSummary } from '../../src/render/comment.js'
import { toJsonReport, type JsonReport } from '../../src/report/json-report.js'
import { MAX_REPORT_BYTES, parseReport, readReportFile } from '../../src/report/read-report.js'
import type { Report } from '../../src/report/report.js'
import { UserError } from '../../src/util/errors.js'
import { image } from '../support/images.js'
import { explainWith, run } from '../explain/evidence-fixtures.js'
import { fileComparison, reportWith } from '../render/file-fixtures.js'

const dir = await mkdtemp(join(tmpdir(), 'read-report-'))
afterAll(() => rm(dir, { recursive: true, force: true }))

const json = (report: Report): JsonReport => toJsonReport(report, '0.0.0-test')
const text = (value: unknown) => JSON.stringify(value)
const roundTrip = (report: Report) => parseReport(text(json(report)))

const base = image('ghcr.io/org/app:main', [
  ['a', '/bin/sh -c #(nop) ADD file:' + 'c'.repeat(64) + ' in / ', 80_000_000],
  ['b', '/bin/sh -c apt-get update && apt-get install -y curl', 40_000_000],
])
const head = image('ghcr.io/org/app:pr-7', [
  ['a', '/bin/sh -c #(nop) ADD file:' + 'c'.repeat(64) + ' in / ', 80_000_000],
  ['b', '/bin/sh -c apt-get update && apt-get install -y curl', 40_000_000],
  ['d', 'RUN /bin/sh -c apt-get install -y build-essential # buildkit', 210_000_000],
])

function layersReport(): Report {
  const comparison = compareImages(base, head, { basis: 'uncompressed' })
  const rules = evaluateBudget({ maxIncrease: { percent: 10 }, maxSizeBytes: 1e9 }, comparison)
  const verdict = worstVerdict(rules.map((r) => r.status))
  return { entries: [{ comparison, rules, verdict, findings: explainGrowth(comparison) }], verdict }
}

function evidenceReport(): Report {
  const { findings, comparison } = explainWith({
    layers: [run('apt-get update && apt-get install -y gcc && rm -rf /tmp/x')],
    head: {
      view: [
        ['/var/cache/apt/archives/gcc.deb', 3_000_000, 3],
        ['/usr/bin/gcc-12', 1_000_000, 3],
      ],
    },
  })
  return {
    entries: [{ comparison, rules: [], verdict: 'pass', findings, files: fileComparison() }],
    verdict: 'pass',
  }
}

function expectSameRendering(report: Report): void {
  const back = roundTrip(report)
  expect(renderComment(back)).toBe(renderComment(report))
  expect(renderJobSummary(back)).toBe(renderJobSummary(report))
  expect(json(back)).toEqual(json(report))
}

describe('readReport: round trip', () => {
  it('renders a report with budgets and instruction findings as the writing run did', () => {
    const report = layersReport()
    expect(report.entries[0].findings.length).toBeGreaterThan(0)
    expectSameRendering(report)
  })

  it('renders file analysis and file-evidence findings as the writing run did', () => {
    const report = evidenceReport()
    expect(report.entries[0].findings.some((f) => f.paths)).toBe(true)
    expectSameRendering(report)
  })

  it('renders a report without a baseline, with the base build log', () => {
    const report = reportWith(fileComparison({ base: undefined }), false)
    report.entries[0].comparison.noBaselineLog = ['step 3/4 failed', 'exit code 1']
    expectSameRendering(report)
  })

  it('renders several platforms', () => {
    const one = layersReport().entries[0]
    const report: Report = {
      entries: [
        { ...one, label: 'linux/amd64' },
        { ...one, label: 'linux/arm64' },
      ],
      verdict: one.verdict,
    }
    expectSameRendering(report)
  })

  it('reads a file from disk', async () => {
    const path = join(dir, 'ok.json')
    await writeFile(path, text(json(layersReport())))
    const back = await readReportFile(path)
    expect(renderComment(back)).toBe(renderComment(layersReport()))
  })
})

describe('readReport: an acceptance in the file is never trusted', () => {
  it('1. a budget marked accepted reads as the failure it was; the acceptance is not read', () => {
    const accepted = layersReport()
    const entry = accepted.entries[0]
    entry.rules = entry.rules.map((r) =>
      r.status === 'fail' ? { ...r, status: 'warn' as const, accepted: true } : r,
    )
    entry.verdict = 'warn'
    accepted.verdict = 'warn'
    accepted.acceptance = {
      ...{ status: 'accepted', via: 'label', label: 'image-size-accepted', by: 'maintainer' },
      ...{ at: '2026-12-02T11:00:00Z', byAuthor: false, rules: ['max-increase'] },
    }
    const back = roundTrip(accepted)
    expect(back.acceptance).toBeUndefined()
    expect(back.entries[0].rules.find((r) => r.key === 'max-increase')).toMatchObject({
      status: 'fail',
    })
    expect(back.entries[0].rules.some((r) => r.accepted)).toBe(false)
    expect([back.entries[0].verdict, back.verdict]).toEqual(['fail', 'fail'])
  })

  it('2. a verdict that is not the one its budgets give is refused, never taken from the file', () => {
    const lying = json(layersReport())
    lying.verdict = 'pass'
    lying.entries[0].verdict = 'pass'
    expect(() => parseReport(text(lying))).toThrow(
      '$.entries[0].verdict: expected fail (the worst of its budgets)',
    )
    const entryOnly = json(layersReport())
    entryOnly.verdict = 'pass'
    expect(() => parseReport(text(entryOnly))).toThrow(
      '$.verdict: expected fail (the worst of its entries)',
    )
  })
})

describe('readReport: hostile contents are escaped again', () => {
  it('HTML, mentions, links and bidi controls in instructions, paths and words', () => {
    const hostile = json(evidenceReport())
    const entry = hostile.entries[0]
    const evil =
      '<img src=x onerror=alert(1)> @octocat https://evil.example \u202Egnp.exe <!-- x -->'
    entry.layers[entry.layers.length - 1].instruction = evil
    entry.head.reference = evil
    entry.notes = [evil]
    entry.findings[0].title = evil
    entry.findings[0].detailWords = [evil, { code: evil }]
    entry.findings[0].fixWords = [{ code: `\`\`\` ${evil}` }]
    if (entry.files) entry.files.changes[0].path = `/app/${evil}`
    if (entry.files?.head) entry.files.head.secrets[0].path = `/${evil}`
    const comment = renderComment(parseReport(text(hostile)))
    // Inside code spans HTML and mentions are inert; outside them nothing raw may remain.
    const body = comment.replace(/`[^`\n]*`/g, '')
    expect(comment).toContain('&lt;img')
    expect(comment).not.toMatch(/\u202E/)
    expect(body).not.toMatch(/<img/)
    expect(body).not.toMatch(/@octocat/)
    expect(body).not.toMatch(/<!-- x/)
    expect(body).not.toMatch(/\u202E/)
    expect(body).not.toMatch(/https:\/\/evil/)
  })
})

describe('readReport: refused', () => {
  const bad = (change: (r: JsonReport & Record<string, unknown>) => void): string => {
    const report = json(evidenceReport()) as JsonReport & Record<string, unknown>
    change(report)
    return text(report)
  }
  const problem = (source: string) => {
    try {
      parseReport(source)
    } catch (error) {
      return (error as Error).message
    }
    return 'read without complaint'
  }

  it.each([
    [
      'schema version 2',
      (r: JsonReport) => Object.assign(r, { schemaVersion: 2 }),
      '$.schemaVersion',
    ],
    [
      'a string size',
      (r: JsonReport) => Object.assign(r.entries[0].totals, { headBytes: '12' }),
      '$.entries[0].totals.headBytes',
    ],
    [
      'a negative size',
      (r: JsonReport) => Object.assign(r.entries[0].layers[1], { headBytes: -1 }),
      '$.entries[0].layers[1].headBytes',
    ],
    [
      'a fractional size',
      (r: JsonReport) => Object.assign(r.entries[0].layers[0], { baseBytes: 1.5 }),
      '$.entries[0].layers[0].baseBytes',
    ],
    ['an unknown verdict', (r: JsonReport) => Object.assign(r, { verdict: 'ok' }), '$.verdict'],
    [
      'an unknown layer change',
      (r: JsonReport) => Object.assign(r.entries[0].layers[0], { change: 'x' }),
      '$.entries[0].layers[0].change',
    ],
    [
      'a finding of an unknown kind',
      (r: JsonReport) => Object.assign(r.entries[0].findings[0], { kind: 'reported' }),
      '$.entries[0].findings[0].kind',
    ],
    [
      'a huge instruction',
      (r: JsonReport) => Object.assign(r.entries[0].layers[0], { instruction: 'x'.repeat(30_000) }),
      '$.entries[0].layers[0].instruction',
    ],
    [
      'too many layers',
      (r: JsonReport) =>
        Object.assign(r.entries[0], { layers: Array(1001).fill(r.entries[0].layers[0]) }),
      '$.entries[0].layers',
    ],
    [
      'too many paths',
      (r: JsonReport) =>
        Object.assign(r.entries[0].findings[0], {
          paths: Array(101).fill({ path: '/a', bytes: 1, layer: 1 }),
        }),
      '$.entries[0].findings[0].paths',
    ],
    [
      'a layer count too large',
      (r: JsonReport) => Object.assign(r.entries[0].head, { layerCount: 1e9 }),
      '$.entries[0].head.layerCount',
    ],
    [
      'a package of no known manager',
      (r: JsonReport) => Object.assign(r.entries[0].files?.packages[0] ?? {}, { manager: 'brew' }),
      '$.entries[0].files.packages[0].manager',
    ],
    ['no entries', (r: JsonReport) => Object.assign(r, { entries: [] }), '$.entries'],
    ['entries not an array', (r: JsonReport) => Object.assign(r, { entries: {} }), '$.entries'],
  ])('%s, naming the field', (_name, change, path) => {
    expect(problem(bad(change as (r: JsonReport) => void))).toContain(`${path}: expected`)
  })

  it('prototype-polluting keys', () => {
    const source = text(json(evidenceReport())).replace('{', '{"__proto__":{"polluted":true},')
    expect(problem(source)).toContain('$.__proto__: expected no such key')
    const nested = text(json(evidenceReport())).replace(
      '"totals":{',
      '"totals":{"constructor":{"prototype":{"x":1}},',
    )
    expect(problem(nested)).toContain('$.entries[0].totals.constructor: expected no such key')
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('malformed JSON: one line naming the file', async () => {
    const path = join(dir, 'broken.json')
    await writeFile(path, '{"schemaVersion": 1,')
    await expect(readReportFile(path)).rejects.toThrow(UserError)
    await expect(readReportFile(path)).rejects.toThrow(/^The report .*broken\.json is not valid: /)
  })

  it('a wrong type: names the file and the JSON path', async () => {
    const path = join(dir, 'typed.json')
    await writeFile(
      path,
      bad((r) => Object.assign(r, { entries: [1] })),
    )
    await expect(readReportFile(path)).rejects.toThrow(
      `The report ${path} is not valid: $.entries[0]: expected an object`,
    )
  })

  it('an oversized file, without parsing it', async () => {
    const path = join(dir, 'big.json')
    await writeFile(path, Buffer.alloc(MAX_REPORT_BYTES + 10, 0x20))
    await expect(readReportFile(path)).rejects.toThrow(/is over 5242880 bytes/)
  })

  it('a missing file', async () => {
    await expect(readReportFile(join(dir, 'none.json'))).rejects.toThrow(/Cannot read the report/)
  })
})
