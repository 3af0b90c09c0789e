/** A budget rule's figures in words: its limit and measured value, and by how much it is over. */
import type { RuleUnit } from '../model/verdict.js'
import { formatBytes, formatDelta, formatPercent } from './size.js'

/** A ratio from 0 to 1 as a percentage with two decimals, as dive prints it: `98.44%`. */
function formatRatio(ratio: number): string {
  return `${(ratio * 100).toFixed(2)}%`
}

/** `3`, or `3 layers` / `1 file` with `word` (`layers` stays plural, as reports have always said) */
function formatCount(value: number, unit: 'layers' | 'files', word: boolean): string {
  if (!word) return String(value)
  return `${value} ${value === 1 && unit === 'files' ? 'file' : unit}`
}

/**
 * A limit or measured value: a size (signed for an increase rule), a percentage, a ratio (as a
 * percentage), a count of layers or files (`3`, or `3 layers` with `word`).
 */
export function formatRuleFigure(
  value: number,
  unit: RuleUnit,
  increase: boolean,
  word = false,
): string {
  if (unit === 'layers' || unit === 'files') return formatCount(value, unit, word)
  if (unit === 'percent') return formatPercent(value)
  if (unit === 'ratio') return formatRatio(value)
  return increase ? formatDelta(value) : formatBytes(value)
}

/** How far past its limit a rule is: `2 layers`, `1.5 percentage points`, `2.30 MB`. */
export function formatOvershoot(overshoot: number, unit: RuleUnit): string {
  if (unit === 'layers' || unit === 'files') return formatCount(overshoot, unit, true)
  if (unit === 'percent') return `${Number(overshoot.toFixed(1))} percentage points`
  if (unit === 'ratio') return `${(overshoot * 100).toFixed(2)} percentage points`
  return formatBytes(overshoot)
}

/**
 * A breached rule's distance from its limit, with its direction: `2.30 MB over`, or for a
 * minimum (min-efficiency) `1.20 percentage points under`.
 */
export function formatBreach(overshoot: number, unit: RuleUnit, atLeast = false): string {
  return `${formatOvershoot(overshoot, unit)} ${atLeast ? 'under' : 'over'}`
}

/**
 * A rule's result in one line: `12.3 MB is within 20.0 MB`, `12.3 MB is 2.30 MB over 10.0 MB`;
 * for a minimum (`atLeast`): `98.44% is at least 95.00%`, `93.10% is 1.90 percentage points
 * under 95.00%`.
 */
export function ruleSentence(
  measured: number,
  limit: number,
  unit: RuleUnit,
  increase: boolean,
  atLeast = false,
): string {
  const show = (n: number) => formatRuleFigure(n, unit, increase, true)
  if (atLeast) {
    return measured >= limit
      ? `${show(measured)} is at least ${show(limit)}`
      : `${show(measured)} is ${formatBreach(limit - measured, unit, true)} ${show(limit)}`
  }
  return measured <= limit
    ? `${show(measured)} is within ${show(limit)}`
    : `${show(measured)} is ${formatBreach(measured - limit, unit)} ${show(limit)}`
}
