/**
 * The trend of an image's size on the base branch (issue 11), for the PR comment and the job
 * summary (a Mermaid `xychart-beta`, which GitHub renders natively, and a line readable without
 * it) and for a terminal (a sparkline). Nothing from the history reaches the Mermaid block but
 * numbers and labels made of hex digits; the rest is escaped (render/escape.ts).
 */
import { formatBytes, formatDelta } from '../format/size.js'
import { sparkline } from '../format/sparkline.js'
import { capitalise, oneLine } from '../format/text.js'
import type { ReportEntry } from '../report/report.js'
import { codeSpan } from './escape.js'
import { drawnPoints, trendSeries, type TrendPoint, type TrendSeries } from './trend-series.js'

export interface TrendOptions {
  /**
   * The repository's web address, `https://github.com/OWNER/REPO` (GITHUB_SERVER_URL and
   * GITHUB_REPOSITORY): the jumps' commits are linked under it. Absent or not of that form: not
   * linked.
   */
  repositoryUrl?: string
  /** Builds of the base branch shown (default 20) */
  builds?: number
}

/** `https://host[:port]/OWNER/REPO`, nothing more: a link made from it can only go there. */
const REPOSITORY_URL =
  /^https?:\/\/[A-Za-z0-9.-]+(?::[0-9]{1,5})?\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/

/** Megabytes (10^6 bytes) with two decimals: a plain decimal number, as Mermaid reads it. */
const megabytes = (bytes: number) => (bytes / 1e6).toFixed(2)

/**
 * The chart as a fenced Mermaid block: the builds and the PR on the x axis (labels of hex digits,
 * `build N` or `PR`, quoted), their sizes in MB as one line.
 */
export function renderTrendChart(series: TrendSeries): string {
  const points = drawnPoints(series)
  return [
    '```mermaid',
    'xychart-beta',
    `    title "Image size, MB (${series.basis})"`,
    `    x-axis [${points.map((p) => `"${p.label}"`).join(', ')}]`,
    `    y-axis "MB"`,
    `    line [${points.map((p) => megabytes(p.bytes)).join(', ')}]`,
    '```',
  ].join('\n')
}

/** A commit as a code span, linked to the repository's commit page when both are valid. */
function commitLink(point: TrendPoint, repositoryUrl: string | undefined): string {
  const span = codeSpan(point.label, 20)
  if (!point.sha || !repositoryUrl || !REPOSITORY_URL.test(repositoryUrl)) return span
  return `[${span}](${repositoryUrl}/commit/${point.sha})`
}

const when = (p: TrendPoint) => (p.date ? `, ${p.date}` : '')

/** The chart's content in one sentence: first, last, this PR, the largest jump. */
export function trendAltText(series: TrendSeries, repositoryUrl?: string): string {
  const first = series.builds[0]
  const last = series.builds[series.builds.length - 1]
  const size = (p: TrendPoint) => `**${formatBytes(p.bytes)}**`
  const parts = [
    `first ${size(first)} (${commitLink(first, repositoryUrl)}${when(first)})`,
    ...(series.builds.length > 1
      ? [`last ${size(last)} (${commitLink(last, repositoryUrl)}${when(last)})`]
      : []),
    ...(series.pr
      ? [`this PR ${size(series.pr)} (${formatDelta(series.pr.bytes - last.bytes)} on the last)`]
      : []),
  ]
  const jump = series.jumps[0]
  const largest = jump
    ? `largest jump ${formatDelta(jump.deltaBytes)} in ${commitLink(jump.to, repositoryUrl)}`
    : 'no increase between them'
  return `${parts.join(', ')}; ${largest}.`
}

/** A jump's line: its size, its commit, and the layers that changed most where stored. */
function jumpLine(jump: TrendSeries['jumps'][number], repositoryUrl?: string): string {
  const changes = (jump.to.point?.layerChanges ?? [])
    .filter((c) => Number.isFinite(c?.deltaBytes) && typeof c?.instruction === 'string')
    .slice(0, 2)
    .map((c) => `${codeSpan(c.instruction, 60)} ${formatDelta(c.deltaBytes)}`)
  const what = changes.length > 0 ? `: ${changes.join(', ')}` : ''
  return `- **${formatDelta(jump.deltaBytes)}** in ${commitLink(jump.to, repositoryUrl)}${when(jump.to)}${what}`
}

/**
 * The trend section of an entry (empty without a history): a heading line, the chart (when
 * `chart`: dropped early when a comment must shrink), the alt text, the biggest jumps.
 */
export function renderTrendMarkdown(
  entry: ReportEntry,
  chart: boolean,
  options: TrendOptions = {},
): string[] {
  const series = trendSeries(entry, options.builds)
  if (!series) return []
  const n = series.builds.length
  const heading = `**Size over time**: the last ${n === 1 ? 'build' : `${n} builds`} of ${codeSpan(series.branch, 60)}${series.pr ? ' and this PR' : ''} (${series.basis})`
  const alt = trendAltText(series, options.repositoryUrl)
  if (!chart) return [`${heading}: ${alt}`]
  const jumps = series.jumps.map((j) => jumpLine(j, options.repositoryUrl))
  return [
    heading,
    renderTrendChart(series),
    capitalise(alt),
    ...(jumps.length > 0 ? [`Largest jumps:\n\n${jumps.join('\n')}`] : []),
  ]
}

/** The terminal's trend line: `Trend (main, 20 builds + PR): ▁▂▅█ 100 MB → 119 MB (PR)`. */
export function renderTrendText(entry: ReportEntry): string[] {
  const series = trendSeries(entry)
  if (!series) return []
  const points = drawnPoints(series)
  const first = points[0]
  const last = points[points.length - 1]
  const builds = `${series.builds.length} ${series.builds.length === 1 ? 'build' : 'builds'}${series.pr ? ' + PR' : ''}`
  const lines = [
    `Trend (${oneLine(series.branch, 40)}, ${builds}): ${sparkline(points.map((p) => p.bytes))}  ${formatBytes(first.bytes)} → ${formatBytes(last.bytes)}${series.pr ? ' (PR)' : ''}`,
  ]
  const jump = series.jumps[0]
  if (jump)
    lines.push(
      `  largest jump ${formatDelta(jump.deltaBytes)} in ${jump.to.label}${jump.to.date ? ` (${jump.to.date})` : ''}`,
    )
  return lines
}
