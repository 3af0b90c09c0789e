import { describe, expect, it } from '@jest/globals'
import { evaluateBudget } from '../../src/budget/rules.js'
import { worstVerdict } from '../../src/model/verdict.js'
import { compareImages } from '../../src/compare/compare.js'
import { explainGrowth } from '../../src/explain/explain.js'
import { codeSpan, escapeMarkdown } from '../../src/render/escape.js'
import { COMMENT_MAX_CHARS, renderComment } from '../../src/render/comment.js'
import { renderTerminal } from '../../src/render/terminal.js'
import type { Budget } from '../../src/budget/budget.js'
import type { ImageInfo } from '../../src/model/image.js'
import type { Report } from '../../src/report/report.js'
import { image } from '../support/images.js'

function report(base: ImageInfo | undefined, head: ImageInfo, budget: Budget = {}): Report {
  const comparison = compareImages(base, head, {
    basis: 'uncompressed',
    noBaseline: base ? undefined : 'base image app:main not found',
  })
  const rules = evaluateBudget(budget, comparison)
  const verdict = worstVerdict(rules.map((r) => r.status))
  return { entries: [{ comparison, rules, verdict, findings: explainGrowth(comparison) }], verdict }
}

const base = image('ghcr.io/org/app:main', [
  ['a', '/bin/sh -c #(nop) ADD file:' + 'c'.repeat(64) + ' in / ', 80_000_000],
  ['b', '/bin/sh -c apt-get update && apt-get install -y curl', 40_000_000],
  ['c', 'COPY . /app # buildkit', 1_200_000],
])
const head = image('ghcr.io/org/app:pr-7', [
  ['a', '/bin/sh -c #(nop) ADD file:' + 'c'.repeat(64) + ' in / ', 80_000_000],
  ['b', '/bin/sh -c apt-get update && apt-get install -y curl', 40_000_000],
  ['d', 'RUN /bin/sh -c apt-get install -y build-essential # buildkit', 210_000_000],
  ['e', 'COPY . /app # buildkit', 1_300_000],
])

describe('renderComment', () => {
  it('renders verdict, totals, budgets, changed layers open and unchanged ones collapsed', () => {
    const body = renderComment(
      report(base, head, {
        maxIncrease: { percent: 10 },
        warnIncrease: { bytes: 5_000_000 },
        maxLayers: 10,
      }),
    )
    expect(body).toMatchSnapshot()
    expect(body).toMatch(/^### ❌ Image size budget exceeded/)
    expect(body).toMatch(/<details><summary>2 unchanged layers \(120 MB\)<\/summary>/)
  })

  it('renders a first PR without a baseline', () => {
    const body = renderComment(report(undefined, head, { maxIncrease: { bytes: 1 } }))
    expect(body).toMatchSnapshot()
    expect(body).toContain('No baseline: base image app:main not found')
    expect(body).toMatch(/`max-increase`.*skip/)
  })

  it('folds steps rebuilt with the same size into the collapsed layers: an edit is one row', () => {
    const steps = (ref: string, seed: string, edited: number): ImageInfo =>
      image(
        ref,
        Array.from({ length: 6 }, (_, i): [string, string, number] => [
          `${seed}${i}`,
          `/bin/sh -c step ${i}${i === 2 ? ` edited ${edited}` : ''}`,
          i === 2 ? 100 + edited : 100,
        ]),
      )
    const body = renderComment(report(steps('a:1', 'a', 0), steps('a:2', 'b', 50)))
    expect(body).toContain('**Layers that changed** (1 of 6 in the PR image, 6 in the base)')
    expect(body).toContain('<summary>5 layers rebuilt with the same size (500 B)</summary>')
    const text = renderTerminal(report(steps('a:1', 'a', 0), steps('a:2', 'b', 50)))
    expect(text).toContain('Layers: 6 in the PR image, 1 changed, 5 rebuilt with the same size')
  })

  it('neutralises hostile build steps: no table break, no HTML, no mention, no link', () => {
    const evil =
      '/bin/sh -c echo "@octocat | <img src=x onerror=alert(1)> [x](https://evil.example) `code` #1\n## heading"'
    const hostile = image('app:pr', [['z', evil, 10]])
    const body = renderComment(report(undefined, hostile))
    const row = body.split('\n').find((line) => line.includes('octocat')) ?? ''
    expect(row.split(/(?<!\\)\|/).length).toBe(8) // 6 cells + the two outer pipes
    expect(body).not.toMatch(/<img/)
    expect(body).not.toMatch(/@octocat/)
    expect(row).toContain('@&#8203;octocat')
    expect(row).not.toMatch(/\]\(https/)
    expect(row).not.toContain('\n## heading')
    expect(body).toMatchSnapshot()
  })

  it('keeps a body for hundreds of layers under GitHub’s limit, verdict first, and points to the summary', () => {
    // Every step rebuilt, and each one grew: 400 real changes.
    const many = (ref: string, seed: string, grow: number) =>
      image(
        ref,
        Array.from({ length: 400 }, (_, i): [string, string, number] => [
          `${seed}${i.toString(16)}`,
          `/bin/sh -c echo ${'x'.repeat(300)} step ${i}`,
          1000 + i + grow,
        ]),
      )
    const body = renderComment(report(many('a:1', 'a', 0), many('a:2', 'b', 7)), {
      fullReportHint: 'See the job summary.',
    })
    expect(body.length).toBeLessThanOrEqual(COMMENT_MAX_CHARS)
    expect(body).toMatch(/^### /)
    expect(body).toContain('See the job summary.')
    expect(body).toMatch(/and \d+ more changed layers/)
    const full = renderComment(report(many('a:1', 'a', 0), many('a:2', 'b', 7)), {
      maxChars: 10_000_000,
    })
    expect(full.length).toBeGreaterThan(COMMENT_MAX_CHARS)
  })

  it('keeps the reasons it grew longest, and drops them at the lowest detail level', () => {
    const r = report(base, head, { maxIncrease: { percent: 10 } })
    const hint = 'See the job summary.'
    const tooLong = (part: string) => (b: string) => (b.includes(part) ? Infinity : b.length)
    const noTables = renderComment(r, { fullReportHint: hint, measure: tooLong('| Step') })
    expect(noTables).toContain('**Why it grew**')
    expect(noTables).toContain(`_Some layers are left out to fit. ${hint}_`)
    const lowest = renderComment(r, { fullReportHint: hint, measure: tooLong('Why it grew') })
    expect(lowest).toMatch(/^### ❌ Image size budget exceeded/)
    expect(lowest).not.toContain('Why it grew')
    expect(lowest).toContain(`_Some layers and the reasons it grew are left out to fit. ${hint}_`)
  })
})

describe('several platforms', () => {
  it('gives one row per platform before each platform’s detail, and the worst verdict', () => {
    const pass = report(base, base).entries[0]
    const fail = report(base, head, { maxSizeBytes: 200_000_000 }).entries[0]
    const both: Report = {
      entries: [
        { ...pass, label: 'linux/amd64' },
        { ...fail, label: 'linux/arm64' },
      ],
      verdict: 'fail',
    }
    const body = renderComment(both)
    expect(body).toMatch(/^### ❌ Image size budget exceeded\n\n\| Platform +\| +Base/)
    expect(body).toMatch(/\| linux\/amd64 +\| +121 MB \| +121 MB \| +0 B \(0\.0%\) \| ✅ pass +\|/)
    expect(body).toMatch(
      /\| linux\/arm64 +\| +121 MB \| +331 MB \| +\+210 MB \(\+173%\) \| ❌ fail +\|/,
    )
    expect(body).toContain('#### linux/amd64')
    expect(body).toContain('#### linux/arm64')
    const text = renderTerminal(both)
    expect(text).toContain('  linux/arm64: 331 MB, +210 MB (+173%) FAIL')
  })
})

describe('escaping', () => {
  it('escapes markdown and HTML, collapses lines, truncates by code points', () => {
    expect(escapeMarkdown('a|b<c>&*_`d`\nnext')).toBe('a\\|b&lt;c&gt;&amp;\\*\\_\\`d\\` next')
    expect(escapeMarkdown('😀'.repeat(200), 10)).toBe(`${'😀'.repeat(9)}…`)
    expect(escapeMarkdown('ping @team')).toBe('ping @&#8203;team')
    expect(codeSpan('app`|x:1')).toBe('`appx:1`')
  })
})

describe('renderTerminal', () => {
  it('prints a plain report', () => {
    const text = renderTerminal(report(base, head, { maxSizeBytes: 300_000_000 }))
    expect(text).toMatchSnapshot()
    expect(text).toMatch(/^image-size-gate: FAIL/)
  })
})
