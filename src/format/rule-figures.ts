/** A budget rule's figures in words: its limit and measured value, and by how much it is over. */
import type { RuleUnit } from '../model/verdict.js'
import { formatBytes, formatDelta, formatPercent } from './size.js'

/**
 * A limit or measured value: a size (signed for an increase rule), a percentage, a layer count
 * (`3`, or `3 layers` with `layersWord`).
 */
export function formatRuleFigure(
  value: number,
  unit: RuleUnit,
  increase: boolean,
  layersWord = false,
): string {
  if (unit === 'layers') return layersWord ? `${value} layers` : String(value)
  if (unit === 'percent') return formatPercent(value)
  return increase ? formatDelta(value) : formatBytes(value)
}

/** How far past its limit a rule is: `2 layers`, `1.5 percentage points`, `2.30 MB`. */
export function formatOvershoot(overshoot: number, unit: RuleUnit): string {
  if (unit === 'layers') return `${overshoot} layers`
  if (unit === 'percent') return `${Number(overshoot.toFixed(1))} percentage points`
  return formatBytes(overshoot)
}

/** A rule's result in one line: `12.3 MB is within 20.0 MB`, `12.3 MB is 2.30 MB over 10.0 MB`. */
export function ruleSentence(
  measured: number,
  limit: number,
  unit: RuleUnit,
  increase: boolean,
): string {
  const show = (n: number) => formatRuleFigure(n, unit, increase, true)
  return measured <= limit
    ? `${show(measured)} is within ${show(limit)}`
    : `${show(measured)} is ${formatOvershoot(measured - limit, unit)} over ${show(limit)}`
}
