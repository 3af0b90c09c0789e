import { isNotable, isRebuiltSameSize } from '../compare/compare.js'
import { buildTimesLines } from './build-times.js'
import type { Report, ReportEntry } from '../report/report.js'
import { formatBytes, formatDelta, formatPercent } from '../format/size.js'
import { describeEngineAddress, describeOrigin, type ImageInfo } from '../model/image.js'
import { oneLine } from '../format/text.js'
import { formatRuleValue } from './parts.js'
import { renderFindingsText } from './findings.js'
import { renderFilesText } from './files-text.js'
import { renderTrendText } from './trend.js'

const MARK = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', skip: 'SKIP' } as const

/** A plain-text report for a terminal: no colour codes, fixed-width columns. */
export function renderTerminal(report: Report): string {
  const lines = [`image-size-gate: ${MARK[report.verdict]}`, ...noBaselineLines(report)]
  if (report.entries.length > 1) {
    for (const e of report.entries) {
      const t = e.comparison.totals
      const size = t.headBytes === undefined ? '?' : formatBytes(t.headBytes)
      const change =
        t.deltaBytes === undefined
          ? ''
          : `, ${formatDelta(t.deltaBytes)} (${formatPercent(t.deltaPercent)})`
      lines.push(`  ${oneLine(e.label ?? '', 40)}: ${size}${change} ${MARK[e.verdict]}`)
    }
  }
  for (const entry of report.entries) lines.push('', ...renderEntry(entry))
  lines.push(...buildTimesLines(report))
  return `${lines.join('\n')}\n`
}

/** A missing base image, said right under the verdict (the reason follows on the Base line). */
function noBaselineLines(report: Report): string[] {
  const missing = report.entries.filter((e) => e.comparison.noBaseline !== undefined)
  if (missing.length === 0) return []
  const which =
    report.entries.length > 1
      ? ` for ${missing.map((e) => oneLine(e.label ?? '', 40)).join(', ')}`
      : ''
  return [
    `NO BASELINE${which}: the base image is missing, so the size change was not measured and the increase budgets were not checked.`,
  ]
}

/** `Docker 26.1.5 (API 1.45), containerd image store, engine unix:///tmp/d26.sock (context "d26")` */
function origin(image: ImageInfo): string {
  const address = describeEngineAddress(image.origin)
  return oneLine(`${describeOrigin(image.origin)}${address ? `, engine ${address}` : ''}`, 300)
}

function renderEntry(entry: ReportEntry): string[] {
  const c = entry.comparison
  const out: string[] = []
  if (entry.label) out.push(`== ${oneLine(entry.label, 60)}`)
  const size = (n?: number) => (n === undefined ? '?' : formatBytes(n))
  out.push(
    `PR    ${oneLine(c.head.reference, 80)}  ${size(c.totals.headBytes)}  (${origin(c.head)})`,
  )
  out.push(
    c.base
      ? `Base  ${oneLine(c.base.reference, 80)}  ${size(c.totals.baseBytes)}  (${origin(c.base)})`
      : `Base  none: ${oneLine(c.noBaseline ?? '', 120)}`,
  )
  if (c.totals.deltaBytes !== undefined) {
    out.push(
      `Change ${formatDelta(c.totals.deltaBytes)} (${formatPercent(c.totals.deltaPercent)}), basis: ${c.basis}`,
    )
  }
  if (c.pull) {
    out.push(
      `Pull (compressed): base ${size(c.pull.baseBytes)}, PR ${size(c.pull.headBytes)}${c.pull.newBytes === undefined ? '' : `, new bytes ${size(c.pull.newBytes)}`}`,
    )
  }
  for (const r of entry.rules) {
    out.push(
      `  ${MARK[r.status]} ${r.key.padEnd(14)} limit ${formatRuleValue(r, r.limit)}, actual ${formatRuleValue(r, r.actual)}${r.actual === undefined ? ` (${r.message})` : ''}`,
    )
  }
  out.push(...renderTrendText(entry))
  const rebuilt = c.layers.filter(isRebuiltSameSize).length
  const changed = c.layers.filter(isNotable)
  out.push(
    `Layers: ${c.head.layers.length} in the PR image, ${changed.length} changed${rebuilt ? `, ${rebuilt} rebuilt with the same size` : ''}`,
  )
  for (const l of changed) {
    const pos = String(l.headPosition ?? `(${l.basePosition})`).padStart(4)
    const delta = l.deltaBytes === undefined ? '?' : formatDelta(l.deltaBytes)
    out.push(
      `${pos} ${l.change.padEnd(9)} ${delta.padStart(11)}  ${l.instruction ? oneLine(l.step, 90) : '(no history)'}`,
    )
  }
  if (entry.files) out.push(...renderFilesText(entry.files))
  out.push(...renderFindingsText(entry.findings))
  for (const note of c.notes) out.push(`note: ${oneLine(note, 200)}`)
  return out
}
