import { describe, expect, it } from '@jest/globals'
import { renderComment, renderJobSummary } from '../../src/render/comment.js'
import { renderTerminal } from '../../src/render/terminal.js'
import {
  renderTrendChart,
  renderTrendMarkdown,
  renderTrendText,
  trendAltText,
} from '../../src/render/trend.js'
import { trendSeries } from '../../src/render/trend-series.js'
import type { SizePoint } from '../../src/model/size-history.js'
import { history, reportOf, sha, trendEntry } from './trend-fixtures.js'

// The size trend (issue 11, item 2): chart, alt text, jumps, terminal sparkline; the history is
// untrusted.

const REPO = 'https://github.com/org/app'

describe('trendSeries', () => {
  it('1: shows the last 20 builds and the PR last, labelled by short SHA', () => {
    const series = trendSeries(trendEntry(history(30)))
    expect(series?.builds.map((b) => b.label)).toEqual(
      Array.from({ length: 20 }, (_, i) => sha(i + 11).slice(0, 7)),
    )
    expect(series?.pr).toEqual({ label: 'PR', bytes: 160_000_000 })
    expect(series?.jumps[0]).toMatchObject({ deltaBytes: 31_000_000, to: { label: '000000c' } })
  })

  it('2: gives rebuilds of a commit and points without a valid SHA their own labels', () => {
    const points = history(4)
    points[1].sha = points[0].sha
    points[2].sha = 'not a sha"] x-axis [evil'
    expect(trendSeries(trendEntry(points), 10)?.builds.map((b) => b.label)).toEqual([
      '0000001',
      '0000001 (2)',
      'build 3',
      '0000004',
    ])
  })

  it('3: leaves out points without a whole size on the basis; nothing left is no trend', () => {
    const points = history(3)
    points[1].uncompressedBytes = undefined
    points[2].uncompressedBytes = 1.5
    expect(trendSeries(trendEntry(points))?.builds).toHaveLength(1)
    expect(trendSeries(trendEntry(points.slice(1)))).toBeUndefined()
    expect(trendSeries(trendEntry([]))).toBeUndefined()
    expect(trendSeries(trendEntry(undefined))).toBeUndefined()
  })
})

describe('renderTrendChart', () => {
  it('1: draws one point per build and the PR last, in MB', () => {
    const chart = renderTrendChart(trendSeries(trendEntry(history(3)))!)
    expect(chart).toBe(
      [
        '```mermaid',
        'xychart-beta',
        '    title "Image size, MB (uncompressed)"',
        '    x-axis ["0000001", "0000002", "0000003", "PR"]',
        '    y-axis "MB"',
        '    line [100.00, 101.00, 102.00, 160.00]',
        '```',
      ].join('\n'),
    )
  })

  it('2: lets nothing from the history into the block but numbers and hex labels', () => {
    const evil: SizePoint[] = history(3).map((p, i) => ({
      ...p,
      sha: i === 0 ? '```\n</details><img src=x onerror=alert(1)>' : p.sha,
      key: '"]\nline [1',
      platform: '```',
      layerChanges: [{ instruction: '```\n@admin ](javascript:alert(1))', deltaBytes: 1 }],
    }))
    const body = renderComment(
      reportOf(trendEntry(evil, 160_000_000, 150_000_000, '```\n`main`')),
      {
        repositoryUrl: REPO,
      },
    )
    const block = /```mermaid\n([\s\S]*?)\n```/.exec(body)?.[1] ?? ''
    const lines = block.split('\n')
    expect(lines).toEqual([
      'xychart-beta',
      '    title "Image size, MB (uncompressed)"',
      '    x-axis ["build 1", "0000002", "0000003", "PR"]',
      '    y-axis "MB"',
      expect.stringMatching(/^ {4}line \[[0-9., ]+\]$/),
    ])
    expect(body.match(/```/g)).toHaveLength(2) // the block's fences, no other
    // Outside code spans (where GitHub shows text literally), none of it is left.
    const outside = body.replace(/```mermaid[\s\S]*?```/, '').replace(/`[^`\n]*`/g, '')
    expect(outside).not.toMatch(/<img|onerror|@admin|javascript:|x-axis \[evil/)
    expect(body).toContain('` @admin ](javascript:alert(1))`') // one line, shown literally
  })
})

describe('the trend in the comment', () => {
  it('1: names first, last, the PR and the largest jump, linked by commit', () => {
    const lines = renderTrendMarkdown(trendEntry(history(12)), true, { repositoryUrl: REPO })
    expect(lines[0]).toBe(
      '**Size over time**: the last 12 builds of `main` and this PR (uncompressed)',
    )
    expect(lines[1]).toMatch(/^```mermaid\n/)
    expect(lines[2]).toBe(
      `First **100 MB** ([\`0000001\`](${REPO}/commit/${sha(1)}), 2026-11-20), last **141 MB** ([\`000000c\`](${REPO}/commit/${sha(12)}), 2026-12-01), this PR **160 MB** (+19.0 MB on the last); largest jump +31.0 MB in [\`000000c\`](${REPO}/commit/${sha(12)}).`,
    )
    expect(lines[3]).toBe(
      [
        'Largest jumps:',
        '',
        `- **+31.0 MB** in [\`000000c\`](${REPO}/commit/${sha(12)}), 2026-12-01: \`RUN apt-get install -y texlive\` +30.5 MB`,
        `- **+1.00 MB** in [\`0000002\`](${REPO}/commit/${sha(2)}), 2026-11-21`,
        `- **+1.00 MB** in [\`0000003\`](${REPO}/commit/${sha(3)}), 2026-11-22`,
      ].join('\n'),
    )
  })

  it.each([
    [2, undefined],
    [3, 'javascript:alert(1)//org/app'],
    [4, 'https://github.com/org/app/../../evil'],
    [5, 'https://github.com/org/app?x=1'],
  ])('%i: links no commit with the repository URL %j', (_n, repositoryUrl) => {
    const text = renderTrendMarkdown(trendEntry(history(3)), true, { repositoryUrl }).join('\n')
    expect(text).not.toContain('](')
    expect(text).toContain('`0000003`')
  })

  it('6: is in the comment after the budgets, and gone without a history', () => {
    const body = renderComment(reportOf(trendEntry(history(5))), { repositoryUrl: REPO })
    expect(body).toContain('**Size over time**')
    expect(body.indexOf('**Size over time**')).toBeGreaterThan(body.indexOf('| Size'))
    expect(renderComment(reportOf(trendEntry(undefined)))).not.toContain('Size over time')
    expect(renderComment(reportOf(trendEntry([])))).not.toContain('Size over time')
  })

  it('7: drops the chart early when the comment must shrink, keeping its line, and says so', () => {
    const report = reportOf(trendEntry(history(20)))
    const full = renderComment(report, { fullReportHint: 'See the summary.' })
    const chart = /```mermaid[\s\S]*?```\n\n/.exec(full)?.[0] ?? ''
    expect(chart).not.toBe('')
    const body = renderComment(report, {
      maxChars: full.length - chart.length + 100,
      fullReportHint: 'See the summary.',
    })
    expect(body).not.toContain('```mermaid')
    expect(body).toMatch(
      /\*\*Size over time\*\*: the last 20 builds of `main` and this PR \(uncompressed\): first \*\*100 MB\*\*/,
    )
    expect(body).toContain('the size trend charts are left out to fit. See the summary.')
  })

  it('8: is in the job summary too', () => {
    expect(renderJobSummary(reportOf(trendEntry(history(3))))).toContain('```mermaid')
  })

  it('9: without a PR size, shows the builds alone', () => {
    const entry = trendEntry(history(2))
    entry.comparison.totals.headBytes = undefined
    const series = trendSeries(entry)!
    expect(renderTrendChart(series)).toContain('x-axis ["0000001", "0000002"]')
    expect(trendAltText(series)).toBe(
      'first **100 MB** (`0000001`, 2026-11-30), last **101 MB** (`0000002`, 2026-12-01); largest jump +1.00 MB in `0000002`.',
    )
  })
})

describe('the trend in the terminal', () => {
  it('1: is a sparkline from the first build to the PR, with the largest jump', () => {
    expect(renderTrendText(trendEntry(history(12)))).toEqual([
      'Trend (main, 12 builds + PR): ▁▁▁▁▁▂▂▂▂▂▂▆█  100 MB → 160 MB (PR)',
      '  largest jump +31.0 MB in 000000c (2026-12-01)',
    ])
  })

  it('2: is in the terminal report, on one line whatever the branch', () => {
    const text = renderTerminal(reportOf(trendEntry(history(2), undefined, undefined, 'ma\nin')))
    expect(text).toContain('Trend (ma in, 2 builds + PR): ')
    expect(renderTerminal(reportOf(trendEntry(undefined)))).not.toContain('Trend')
  })
})
