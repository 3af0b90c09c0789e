import { beforeAll, describe, expect, it } from '@jest/globals'
import { renderTrendChart } from '../../src/render/trend.js'
import { TREND_BUILDS, trendSeries } from '../../src/render/trend-series.js'
import {
  mermaidSource,
  renderMermaid,
  requireChromium,
  xyChartOf,
} from '../support/mermaid-chromium.js'
import { history, sha, trendEntry } from './trend-fixtures.js'

// The trend chart as GitHub would draw it (issue 11): the block our renderer writes, parsed and
// rendered by the real Mermaid (npm `mermaid`) in headless Chromium (Debian's `chromium`).
// Needs Chromium like the engine tests need the engines: missing, it fails (scripts/testbed.sh up).

beforeAll(async () => {
  await requireChromium()
})

describe('the trend chart in Mermaid', () => {
  it('1: draws one point per build, the PR last, under its own label', async () => {
    const series = trendSeries(trendEntry(history(30)))!
    const result = await renderMermaid(mermaidSource(renderTrendChart(series)))
    if (result.status !== 'ok') throw new Error(`Mermaid failed: ${result.message}`)
    const { labels, points } = xyChartOf(result.svg)
    const expected = [
      ...Array.from({ length: TREND_BUILDS }, (_, i) => sha(i + 11).slice(0, 7)),
      'PR',
    ]
    expect(labels.map((l) => l.text)).toEqual(expected)
    expect(points).toHaveLength(TREND_BUILDS + 1)
    // Each point sits over its label, the PR's last and rightmost; SVG y grows downwards, so
    // the PR (160 MB, the largest) is the highest point and the first build the lowest.
    points.forEach((p, i) => expect(p.x).toBeCloseTo(labels[i].x, 0))
    expect(Math.max(...points.map((p) => p.x))).toBe(points[TREND_BUILDS].x)
    expect(Math.min(...points.map((p) => p.y))).toBe(points[TREND_BUILDS].y)
    expect(Math.max(...points.map((p) => p.y))).toBe(points[0].y)
  })

  it('2: draws a short history and hostile labels the renderer replaced', async () => {
    const points = history(2)
    points[0].sha = '"] \n line [1'
    const chart = renderTrendChart(trendSeries(trendEntry(points))!)
    const result = await renderMermaid(mermaidSource(chart))
    if (result.status !== 'ok') throw new Error(`Mermaid failed: ${result.message}`)
    const drawn = xyChartOf(result.svg)
    expect(drawn.labels.map((l) => l.text)).toEqual(['build 1', sha(2).slice(0, 7), 'PR'])
    expect(drawn.points).toHaveLength(3)
  })

  it('3: a broken block fails to parse: this test would see a chart GitHub cannot draw', async () => {
    const chart = mermaidSource(renderTrendChart(trendSeries(trendEntry(history(3)))!))
    const broken = chart.replace('line [', 'line [[').replace(/"PR"\]/, '"PR"')
    const result = await renderMermaid(broken)
    expect(result.status).toBe('error')
    expect(result.status === 'error' && result.message).toMatch(/Parse error on line \d+/)
  })
})
