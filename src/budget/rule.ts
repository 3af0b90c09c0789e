import type { Comparison } from '../compare/compare.js'
import type { FileComparison } from '../model/files.js'
import type { RuleUnit } from '../model/verdict.js'

/**
 * The measured value; or `skip` when the rule does not apply (no baseline, file analysis off), or
 * `unknown` when it applies but the figures are not known: a budget that cannot be checked is a
 * warning, never a silent pass.
 */
export type Measured = number | { skip: string } | { unknown: string }

/** A threshold rule: a key, a limit, and measure(comparison, files). */
export interface Rule {
  key: string
  unit: RuleUnit
  limit: number
  breach: 'warn' | 'fail'
  /** true: the figure must be at least the limit (min-efficiency); otherwise at most */
  atLeast?: boolean
  measure(c: Comparison, files: FileComparison | undefined): Measured
  /** Words after the measured sentence, e.g. a drift rule's ` since 0a1b2c3 (2026-11-03), over 30 days` */
  after?(c: Comparison): string
}
