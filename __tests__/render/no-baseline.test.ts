import { describe, expect, it } from '@jest/globals'
import { evaluateBudget } from '../../src/budget/rules.js'
import { worstVerdict } from '../../src/model/verdict.js'
import { compareImages } from '../../src/compare/compare.js'
import { renderComment } from '../../src/render/comment.js'
import { renderTerminal } from '../../src/render/terminal.js'
import type { ImageInfo } from '../../src/model/image.js'
import type { Report, ReportEntry } from '../../src/report/report.js'
import { image } from '../support/images.js'

// A missing base image is said in the first lines of the comment and of the terminal report,
// not only in the summary line under them (issue 6, item 7).

const head = image('ghcr.io/org/app:pr-7', [['a', 'COPY app /app # buildkit', 5_000_000]])
const base = image('ghcr.io/org/app:main', [['a', 'COPY app /app # buildkit', 5_000_000]])

function entry(baseImage: ImageInfo | undefined, reason?: string, label?: string): ReportEntry {
  const comparison = compareImages(baseImage, head, { basis: 'uncompressed', noBaseline: reason })
  const rules = evaluateBudget({ maxIncrease: { percent: 5 } }, comparison)
  return {
    comparison,
    rules,
    verdict: worstVerdict(rules.map((r) => r.status)),
    findings: [],
    label,
  }
}
const reportOf = (...entries: ReportEntry[]): Report => ({ entries, verdict: 'pass' })
const firstLines = (text: string, n: number) => text.split('\n').slice(0, n).join('\n')

describe('a missing base image, said first', () => {
  it.each([
    [1, 'manifest unknown for ghcr.io/org/app:main'],
    [2, 'base build failed: no Dockerfile in the base commit 1a2b3c4'],
  ])('%i: the comment opens with it and the reason (%s)', (_n, reason) => {
    const body = renderComment(reportOf(entry(undefined, reason)))
    expect(firstLines(body, 1)).toBe('### ✅ Image size within budget (no baseline)')
    const top = firstLines(body, 6)
    expect(top).toContain('> [!WARNING]')
    expect(top).toMatch(
      /\*\*No baseline: the base image is missing, so this PR's size change was not measured and the increase budgets were not checked\.\*\*/,
    )
    expect(top).toContain(`> Why: ${reason}`)
    expect(body.indexOf('[!WARNING]')).toBeLessThan(body.indexOf('| Size (uncompressed)'))
  })

  it('3: says nothing of the kind when there is a baseline', () => {
    const body = renderComment(reportOf(entry(base)))
    expect(firstLines(body, 1)).toBe('### ✅ Image size within budget')
    expect(body).not.toContain('No baseline')
    expect(body).not.toContain('[!WARNING]')
    expect(renderTerminal(reportOf(entry(base)))).not.toContain('NO BASELINE')
  })

  it('4: escapes the reason (it can quote a reference or a build log)', () => {
    const body = renderComment(reportOf(entry(undefined, 'ping @team <img src=x> | *x*')))
    const why = body.split('\n').find((l) => l.startsWith('> Why:')) ?? ''
    expect(why).toBe('> Why: ping @&#8203;team &lt;img src=x&gt; \\| \\*x\\*.')
  })

  it('5: with several platforms, names the ones without a baseline', () => {
    const body = renderComment(
      reportOf(
        entry(base, undefined, 'linux/amd64'),
        entry(undefined, 'no linux/arm64 manifest in ghcr.io/org/app:main', 'linux/arm64'),
      ),
    )
    const top = firstLines(body, 6)
    expect(top).toContain('**No baseline for linux/arm64: the base image is missing')
    expect(top).toContain('> linux/arm64: no linux/arm64 manifest in ghcr.io/org/app:main.')
    expect(top).not.toContain('linux/amd64')
  })

  it('6: keeps it when the body is cut to the verdict alone', () => {
    const body = renderComment(reportOf(entry(undefined, 'gone')), { maxChars: 80 })
    expect(body).toMatch(
      /^### ✅ Image size within budget \(no baseline\)\n\nThe report is too large/,
    )
  })

  it('7: the terminal report says it right under the verdict', () => {
    const text = renderTerminal(reportOf(entry(undefined, 'manifest unknown')))
    expect(firstLines(text, 2)).toBe(
      'image-size-gate: PASS\nNO BASELINE: the base image is missing, so the size change was not measured and the increase budgets were not checked.',
    )
    expect(text).toContain('Base  none: manifest unknown')
  })
})
