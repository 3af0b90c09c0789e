import { markdownTable } from 'markdown-table'
import type { RuleResult, Verdict } from '../budget/rules.js'
import type { SizeBasis } from '../model/image.js'
import { formatBytes, formatDelta, formatPercent } from '../budget/size.js'
import { escapeMarkdown } from './escape.js'

export const VERDICT_HEADLINE: Record<Verdict, string> = {
  pass: '✅ Image size within budget',
  warn: '⚠️ Image size near its budget',
  fail: '❌ Image size budget exceeded',
}

export const VERDICT_MARK: Record<Verdict, string> = {
  pass: '✅ pass',
  warn: '⚠️ warn',
  fail: '❌ fail',
}

export const STATUS_TEXT: Record<RuleResult['status'], string> = {
  pass: '✅ pass',
  warn: '⚠️ warn',
  fail: '❌ fail',
  skip: '➖ skip',
}

export const BASIS_TEXT: Record<SizeBasis, string> = {
  uncompressed:
    'Sizes are uncompressed layer content: regular-file bytes plus symlink targets, hard links counted once (what the overlay2 engine’s <code>docker history</code> reports).',
  compressed: 'Sizes are compressed layer blobs: the bytes <code>docker pull</code> downloads.',
}

/** A budget figure for people: sizes, signed for increases, percentages, layer counts. */
export function formatRuleValue(r: RuleResult, value: number | undefined): string {
  if (value === undefined) return '—'
  const increase = r.key.endsWith('increase')
  if (r.unit === 'layers') return String(value)
  if (r.unit === 'percent') return formatPercent(value)
  return increase ? formatDelta(value) : formatBytes(value)
}

export function renderRules(rules: RuleResult[]): string {
  const rows = rules.map((r) => [
    `\`${r.key}\``,
    formatRuleValue(r, r.limit),
    formatRuleValue(r, r.actual),
    resultText(r),
  ])
  return markdownTable([['Budget', 'Limit', 'Actual', 'Result'], ...rows], {
    align: ['l', 'r', 'r', 'l'],
  })
}

function resultText(r: RuleResult): string {
  if (r.status === 'pass') return STATUS_TEXT.pass
  // A rule that could not be measured has no overshoot: its message says why.
  if (r.actual === undefined) {
    return `${STATUS_TEXT[r.status]}: ${escapeMarkdown(r.message.replace(/^skipped: /, ''), 200)}`
  }
  return `${STATUS_TEXT[r.status]}, ${overshootText(r)} over`
}

function overshootText(r: RuleResult): string {
  const over = r.overshoot ?? 0
  if (r.unit === 'layers') return `${over} layers`
  if (r.unit === 'percent') return `${Number(over.toFixed(1))} percentage points`
  return formatBytes(over)
}
