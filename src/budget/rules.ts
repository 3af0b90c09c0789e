import type { Comparison } from '../compare/compare.js'
import type { Budget, IncreaseLimit } from './budget.js'
import { ruleSentence } from '../format/rule-figures.js'
import type { RuleStatus, RuleUnit } from '../model/verdict.js'
import type { FileComparison } from '../model/files.js'
import { fileRules, evaluateSecrets } from './file-rules.js'
import { driftRules, type DriftContext } from './drift.js'
import type { Measured, Rule } from './rule.js'

export type { RuleStatus, RuleUnit, Verdict } from '../model/verdict.js'

/** The outcome of one budget rule. Figures are on the comparison's basis. */
export interface RuleResult {
  /** The input that set the rule: max-size, warn-increase, … */
  key: string
  status: RuleStatus
  unit: RuleUnit
  actual?: number
  limit: number
  /** How far past the limit, when the rule is breached: actual − limit (limit − actual for min-efficiency) */
  overshoot?: number
  /** One line for people, e.g. "12.3 MB is 2.30 MB over the 10.0 MB limit" */
  message: string
  /** A failure turned into a warning by an accepted increase (budget/accept.ts) */
  accepted?: boolean
}

/** Which image's figures are missing on the basis, in words. */
function unknownSizes(c: Comparison): { unknown: string } {
  const missing = [
    c.totals.headBytes === undefined ? c.head.reference : undefined,
    c.base && c.totals.baseBytes === undefined ? c.base.reference : undefined,
  ].filter(Boolean)
  return { unknown: `${c.basis} sizes are not known for ${missing.join(' and ')}` }
}

export type { Rule } from './rule.js'

/** `drift`: the base branch's history for the drift rules; without it they are skipped. */
export function budgetRules(budget: Budget, drift?: DriftContext): Rule[] {
  const rules: Rule[] = []
  const headTotal = (c: Comparison) => c.totals.headBytes ?? unknownSizes(c)
  if (budget.maxSizeBytes !== undefined) {
    rules.push({
      key: 'max-size',
      unit: 'bytes',
      limit: budget.maxSizeBytes,
      breach: 'fail',
      measure: headTotal,
    })
  }
  if (budget.warnSizeBytes !== undefined) {
    rules.push({
      key: 'warn-size',
      unit: 'bytes',
      limit: budget.warnSizeBytes,
      breach: 'warn',
      measure: headTotal,
    })
  }
  rules.push(...increaseRules('max-increase', budget.maxIncrease, 'fail'))
  rules.push(...increaseRules('warn-increase', budget.warnIncrease, 'warn'))
  if (budget.maxLayers !== undefined) {
    const measure = (c: Comparison) => c.head.layers.length
    rules.push({
      key: 'max-layers',
      unit: 'layers',
      limit: budget.maxLayers,
      breach: 'fail',
      measure,
    })
  }
  rules.push(...driftRules('max-drift', budget.maxDrift, 'fail', drift))
  rules.push(...driftRules('warn-drift', budget.warnDrift, 'warn', drift))
  rules.push(...fileRules(budget))
  return rules
}

function increaseRules(
  key: string,
  limit: IncreaseLimit | undefined,
  breach: 'warn' | 'fail',
): Rule[] {
  const rules: Rule[] = []
  const noBaseline = (c: Comparison) =>
    c.noBaseline ? { skip: `no baseline: ${c.noBaseline}` } : undefined
  if (limit?.bytes !== undefined) {
    const measure = (c: Comparison) => noBaseline(c) ?? c.totals.deltaBytes ?? unknownSizes(c)
    rules.push({ key, unit: 'bytes', limit: limit.bytes, breach, measure })
  }
  if (limit?.percent !== undefined) {
    const measure = (c: Comparison): Measured =>
      noBaseline(c) ??
      c.totals.deltaPercent ??
      (c.totals.baseBytes === 0 ? { skip: 'no percentage of an empty base' } : unknownSizes(c))
    rules.push({ key, unit: 'percent', limit: limit.percent, breach, measure })
  }
  return rules
}

/**
 * Every rule of `budget`, evaluated; never throws. `files` is what the file analysis found
 * (undefined when it was off or did not run): the rules on waste, dive's figures and secrets
 * need it. `drift`: the base branch's size history the drift rules measure against.
 */
export function evaluateBudget(
  budget: Budget,
  comparison: Comparison,
  files?: FileComparison,
  drift?: DriftContext,
): RuleResult[] {
  const results = budgetRules(budget, drift).map((rule) => evaluateRule(rule, comparison, files))
  const secrets = evaluateSecrets(budget, comparison, files)
  return secrets ? [...results, secrets] : results
}

function evaluateRule(
  rule: Rule,
  comparison: Comparison,
  files: FileComparison | undefined,
): RuleResult {
  const base = { key: rule.key, unit: rule.unit, limit: rule.limit }
  let measured: Measured
  try {
    measured = rule.measure(comparison, files)
  } catch (error) {
    measured = { unknown: `could not be evaluated: ${String(error)}` }
  }
  if (typeof measured !== 'number') {
    return 'skip' in measured
      ? { ...base, status: 'skip', message: `skipped: ${measured.skip}` }
      : { ...base, status: 'warn', message: `not checked: ${measured.unknown}` }
  }
  const sentence = ruleSentence(measured, rule.limit, rule.unit, isIncreaseRule(rule), rule.atLeast)
  const message = `${sentence}${rule.after?.(comparison) ?? ''}`
  const within = rule.atLeast ? measured >= rule.limit : measured <= rule.limit
  if (within) return { ...base, status: 'pass', actual: measured, message }
  const overshoot = rule.atLeast ? rule.limit - measured : measured - rule.limit
  return { ...base, status: rule.breach, actual: measured, overshoot, message }
}

/**
 * `max-increase`, `warn-increase`, `max-reclaimable-increase`, `max-drift`, `warn-drift`: their
 * figures are changes, shown signed.
 */
export function isIncreaseRule(rule: { key: string }): boolean {
  return rule.key.endsWith('increase') || rule.key.endsWith('drift')
}

/** `min-efficiency`: breached below its limit; its overshoot is how far under it is. */
export function isMinimumRule(rule: { key: string }): boolean {
  return rule.key.startsWith('min-')
}
