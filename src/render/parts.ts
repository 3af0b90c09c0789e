import { markdownTable } from 'markdown-table'
import { isIncreaseRule, isMinimumRule, type RuleResult } from '../budget/rules.js'
import { formatBreach, formatRuleFigure } from '../format/rule-figures.js'
import { VERDICT_HEADLINE } from '../format/verdict.js'
import type { SizeBasis } from '../model/image.js'
import type { RuleStatus, Verdict } from '../model/verdict.js'
import { escapeMarkdown } from './escape.js'

const STATUS_EMOJI: Record<RuleStatus, string> = { pass: '✅', warn: '⚠️', fail: '❌', skip: '➖' }

/** `✅ pass`: a rule's status, or a platform's verdict, in a table cell. */
export const STATUS_TEXT = Object.fromEntries(
  Object.entries(STATUS_EMOJI).map(([status, emoji]) => [status, `${emoji} ${status}`]),
) as Record<RuleStatus, string>

/** `✅ Image size within budget` */
export function verdictHeadline(verdict: Verdict): string {
  return `${STATUS_EMOJI[verdict]} ${VERDICT_HEADLINE[verdict]}`
}

export const BASIS_TEXT: Record<SizeBasis, string> = {
  uncompressed:
    'Sizes are uncompressed layer content: regular-file bytes plus symlink targets, hard links counted once (what the overlay2 engine’s <code>docker history</code> reports).',
  compressed: 'Sizes are compressed layer blobs: the bytes <code>docker pull</code> downloads.',
}

/** A budget figure for people: sizes, signed for increases, percentages, layer counts. */
export function formatRuleValue(r: RuleResult, value: number | undefined): string {
  return value === undefined ? '—' : formatRuleFigure(value, r.unit, isIncreaseRule(r))
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
  const accepted = r.accepted ? ' (accepted)' : ''
  return `${STATUS_TEXT[r.status]}${accepted}, ${formatBreach(r.overshoot ?? 0, r.unit, isMinimumRule(r))}`
}
