import { markdownTable } from 'markdown-table'
import { isAcceptable, type Acceptance } from '../budget/accept.js'
import { renderAcceptance } from './acceptance.js'
import { isNotable, isRebuiltSameSize, type LayerDiff, type Totals } from '../compare/compare.js'
import type { Report, ReportEntry } from '../report/report.js'
import { formatBytes, formatDelta, formatPercent } from '../format/size.js'
import { codeBlock, codeSpan, escapeMarkdown } from './escape.js'
import { renderRules, STATUS_TEXT, verdictHeadline } from './parts.js'
import { renderFindingsMarkdown } from './findings.js'
import { footer } from './comment-footer.js'
import { COMMENT_FILE_ROWS, SUMMARY_FILE_ROWS, type FileRows } from '../format/files.js'
import { capitalise, listOf } from '../format/text.js'
import { detailLevels, type Detail } from './detail-levels.js'
import { renderFileFigures, renderFileSections } from './files-markdown.js'
import { renderBuildTimes } from './build-times.js'
import { renderTrendMarkdown } from './trend.js'

/** GitHub rejects comment bodies over 65,536 characters; leave room for the sticky marker. */
export const COMMENT_MAX_CHARS = 65_000

export interface RenderOptions {
  /** Hard limit on the body's length, as `measure` counts it */
  maxChars?: number
  /** How length is counted: UTF-16 code units (String.length, GitHub's comment limit) by default */
  measure?: (body: string) => number
  /** Where the full report is, said when detail had to be dropped */
  fullReportHint?: string
  /** Rows of the file sections ("What grew", "Packages"): the comment's few by default */
  fileRows?: FileRows
  /** `https://github.com/OWNER/REPO`: the size trend links its commits there (issue 11) */
  repositoryUrl?: string
}

/** Renders the report as a PR comment: verdict first, detail as space allows. */
export function renderComment(report: Report, options: RenderOptions = {}): string {
  const maxChars = options.maxChars ?? COMMENT_MAX_CHARS
  const most = Math.max(0, ...report.entries.map((e) => e.comparison.layers.length))
  const levels = detailLevels(most, options.fileRows ?? COMMENT_FILE_ROWS)
  for (const detail of levels) {
    const body = renderWith(report, detail, options)
    if ((options.measure ?? ((b: string) => b.length))(body) <= maxChars) return body
  }
  const verdictOnly = `${headline(report)}\n\nThe report is too large for a comment. ${options.fullReportHint ?? ''}`
  return verdictOnly.slice(0, maxChars)
}

/** The job summary: the comment's sections with more rows (top 50 changed paths, 500 packages). */
export function renderJobSummary(report: Report, options: RenderOptions = {}): string {
  return renderComment(report, { fileRows: SUMMARY_FILE_ROWS, ...options })
}

function renderWith(report: Report, detail: Detail, options: RenderOptions): string {
  const parts = [headline(report), ...noBaselineAlert(report)]
  if (report.entries.length > 1) parts.push(platformTable(report))
  const rest = [options.fullReportHint, 'The JSON report lists every one.']
    .filter(Boolean)
    .join(' ')
  for (const entry of report.entries)
    parts.push(
      ...renderEntry(entry, detail, report.entries.length > 1, rest, report.acceptance, options),
    )
  const cut = leftOut(report, detail, options.fileRows ?? COMMENT_FILE_ROWS)
  if (cut.length > 0 && options.fullReportHint)
    parts.push(`_${capitalise(listOf(cut, Infinity))} left out to fit. ${options.fullReportHint}_`)
  parts.push(...renderBuildTimes(report))
  parts.push(footer(report))
  return `${parts.join('\n\n')}\n`
}

/** What this detail level leaves out that the report has, said when anything is. */
function leftOut(report: Report, detail: Detail, rows: FileRows): string[] {
  const some = (test: (e: ReportEntry) => boolean) => report.entries.some(test)
  const files = (e: ReportEntry) => (e.files?.base ? e.files : undefined)
  const cut = [
    some(
      (e) =>
        detail.changedRows < changedOf(e).length ||
        (!detail.unchanged && unchangedOf(e).length > 0),
    ) && 'some layers',
    some((e) => detail.files.pathRows < Math.min(rows.paths, files(e)?.changes.length ?? 0)) &&
      'some changed paths',
    some(
      (e) => detail.files.packageRows < Math.min(rows.packages, files(e)?.packages.length ?? 0),
    ) && 'some package changes',
    !detail.findings &&
      some((e) => e.findings.some((f) => !isSecretFinding(f))) &&
      'the reasons it grew',
    !detail.fileFigures && some((e) => e.files !== undefined) && 'the file figures',
    !detail.trendChart && some((e) => (e.trend?.points.length ?? 0) > 0) && 'the size trend charts',
  ]
  const said = cut.filter((c): c is string => typeof c === 'string')
  return said.length === 0 ? [] : [...said.slice(0, -1), `${said[said.length - 1]} are`]
}

/** Several platforms: one row each, before each platform's detail. */
function platformTable(report: Report): string {
  const size = (n?: number) => (n === undefined ? '—' : formatBytes(n))
  const rows = report.entries.map((e) => {
    const t = e.comparison.totals
    const change =
      t.deltaBytes === undefined
        ? '—'
        : `${formatDelta(t.deltaBytes)} (${formatPercent(t.deltaPercent)})`
    return [
      escapeMarkdown(e.label ?? ''),
      size(t.baseBytes),
      size(t.headBytes),
      change,
      STATUS_TEXT[e.verdict],
    ]
  })
  return markdownTable([['Platform', 'Base', 'PR', 'Change', 'Result'], ...rows], {
    align: ['l', 'r', 'r', 'r', 'l'],
  })
}

function isSecretFinding(finding: { key: string }): boolean {
  return finding.key === 'secret-file'
}

function headline(report: Report): string {
  const missing = report.entries.some((e) => e.comparison.noBaseline !== undefined)
  return `### ${verdictHeadline(report.verdict)}${missing ? ' (no baseline)' : ''}`
}

/** A missing base image, said first, so no reviewer takes a pass without one for a measured one. */
function noBaselineAlert(report: Report): string[] {
  const missing = report.entries.filter((e) => e.comparison.noBaseline !== undefined)
  if (missing.length === 0) return []
  const several = report.entries.length > 1
  const which = several
    ? ` for ${missing.map((e) => escapeMarkdown(e.label ?? '')).join(', ')}`
    : ''
  const reasons = missing.map(
    (e) =>
      `> ${several ? `${escapeMarkdown(e.label ?? '')}: ` : 'Why: '}${escapeMarkdown(e.comparison.noBaseline ?? '', 200)}.`,
  )
  return [
    [
      '> [!WARNING]',
      `> **No baseline${which}: the base image is missing, so this PR's size change was not measured and the increase budgets were not checked.** \`max-size\`, \`warn-size\` and \`max-layers\` still apply.`,
      '>',
      ...reasons,
    ].join('\n'),
  ]
}

function renderEntry(
  entry: ReportEntry,
  detail: Detail,
  withLabel: boolean,
  rest: string,
  acceptance: Acceptance | undefined,
  options: RenderOptions,
): string[] {
  const c = entry.comparison
  const out: string[] = []
  if (withLabel && entry.label) out.push(`#### ${escapeMarkdown(entry.label)}`)
  out.push(summaryLine(entry))
  if (c.noBaselineLog?.length) {
    out.push(
      `<details><summary>Base build log, last lines</summary>\n\n${codeBlock(c.noBaselineLog)}\n\n</details>`,
    )
  }
  out.push(totalsTable(entry))
  if (entry.files && detail.fileFigures) out.push(renderFileFigures(entry.files))
  if (acceptance && entry.rules.some((r) => r.accepted || isAcceptable(r)))
    out.push(renderAcceptance(acceptance))
  if (entry.rules.length > 0) out.push(renderRules(entry.rules))
  out.push(...renderTrendMarkdown(entry, detail.trendChart, options))
  const changed = changedOf(entry)
  if (changed.length > 0) {
    const shown = [...changed].sort(byImpact).slice(0, detail.changedRows).sort(byPosition)
    const more = changed.length - shown.length
    out.push(
      `**Layers that changed** (${changed.length} of ${c.head.layers.length} in the PR image${c.base ? `, ${c.base.layers.length} in the base` : ''})`,
    )
    if (shown.length > 0) out.push(layerTable(shown, true))
    if (more > 0) out.push(`…and ${more} more changed layers, the smallest changes.`)
  }
  if (entry.files) out.push(...renderFileSections(entry.files, detail.files, rest))
  // Secret findings are never cut for length: a leaked credential outweighs any size figure.
  const findings = detail.findings ? entry.findings : entry.findings.filter(isSecretFinding)
  if (findings.length > 0) out.push(renderFindingsMarkdown(findings))
  const unchanged = unchangedOf(entry)
  if (unchanged.length > 0 && detail.unchanged) {
    const known = unchanged.every((l) => l.headBytes !== undefined)
    const bytes = unchanged.reduce((sum, l) => sum + (l.headBytes ?? 0), 0)
    const rebuilt = unchanged.filter(isRebuiltSameSize).length
    const same = unchanged.length - rebuilt
    const what = [
      same > 0 ? `${same} unchanged layers` : '',
      rebuilt > 0 ? `${rebuilt} ${same > 0 ? '' : 'layers '}rebuilt with the same size` : '',
    ]
      .filter(Boolean)
      .join(' and ')
    out.push(
      `<details><summary>${what} (${known ? formatBytes(bytes) : 'size unknown'})</summary>\n\n${layerTable(unchanged, false)}\n\n</details>`,
    )
  }
  for (const note of c.notes) out.push(`> [!NOTE]\n> ${escapeMarkdown(note, 300)}`)
  return out
}

function summaryLine(entry: ReportEntry): string {
  const { comparison: c } = entry
  const head = codeSpan(c.head.reference, 80)
  const size =
    c.totals.headBytes === undefined ? 'of unknown size' : `**${formatBytes(c.totals.headBytes)}**`
  if (c.noBaseline)
    return `${head} is ${size} (${c.basis}). No baseline: ${escapeMarkdown(c.noBaseline, 200)}.`
  const delta = c.totals.deltaBytes
  const change =
    delta === undefined
      ? 'an unknown change'
      : `**${formatDelta(delta)}** (${formatPercent(c.totals.deltaPercent)})`
  return `${head} is ${size} (${c.basis}), ${change} against the base.`
}

function totalsTable(entry: ReportEntry): string {
  const c = entry.comparison
  const size = (n?: number) => (n === undefined ? '—' : formatBytes(n))
  const change = (t: Totals | undefined) =>
    t?.deltaBytes === undefined
      ? '—'
      : `${formatDelta(t.deltaBytes)} (${formatPercent(t.deltaPercent)})`
  const rows = [
    ['', 'Base', 'PR', 'Change'],
    [`Size (${c.basis})`, size(c.totals.baseBytes), size(c.totals.headBytes), change(c.totals)],
    [
      'Layers',
      c.base ? String(c.base.layers.length) : '—',
      String(c.head.layers.length),
      c.base ? signed(c.head.layers.length - c.base.layers.length) : '—',
    ],
  ]
  if (c.pull && c.basis !== 'compressed') {
    rows.splice(2, 0, [
      'Pull size (compressed)',
      size(c.pull.baseBytes),
      size(c.pull.headBytes),
      change(c.pull),
    ])
  }
  if (c.pull?.newBytes !== undefined && c.base)
    rows.push(['New bytes to pull (compressed)', '', size(c.pull.newBytes), ''])
  return markdownTable(rows, { align: ['l', 'r', 'r', 'r'] })
}

function layerTable(layers: LayerDiff[], withChange: boolean): string {
  const size = (n?: number) => (n === undefined ? '—' : formatBytes(n))
  const header = withChange ? ['#', 'Step', 'Change', 'Base', 'PR', 'Δ'] : ['#', 'Step', 'Size']
  const rows = layers.map((l) => {
    const position = String(l.headPosition ?? `(${l.basePosition})`)
    const step = l.instruction ? escapeMarkdown(l.step) : '_(no history)_'
    return withChange
      ? [
          position,
          step,
          l.change,
          size(l.baseBytes),
          size(l.headBytes),
          l.deltaBytes === undefined ? '—' : formatDelta(l.deltaBytes),
        ]
      : [position, step, size(l.headBytes)]
  })
  return markdownTable([header, ...rows], {
    align: withChange ? ['r', 'l', 'l', 'r', 'r', 'r'] : ['r', 'l', 'r'],
  })
}

const changedOf = (e: ReportEntry) => e.comparison.layers.filter(isNotable)
const unchangedOf = (e: ReportEntry) => e.comparison.layers.filter((l) => !isNotable(l))
const byImpact = (a: LayerDiff, b: LayerDiff) =>
  Math.abs(b.deltaBytes ?? 0) - Math.abs(a.deltaBytes ?? 0)
const byPosition = (a: LayerDiff, b: LayerDiff) =>
  (a.headPosition ?? a.basePosition ?? 0) - (b.headPosition ?? b.basePosition ?? 0)
const signed = (n: number) => (n > 0 ? `+${n}` : String(n))
