/**
 * What a budget says: each rule's status, and the verdict over rules, platforms or a whole run.
 * Plain data every stage speaks (budget evaluates, renderers word it).
 */

export type RuleStatus = 'pass' | 'warn' | 'fail' | 'skip'
export type Verdict = 'pass' | 'warn' | 'fail'
/**
 * What a rule's figures count: bytes, percent of the base total, layers, a ratio from 0 to 1
 * (dive's efficiency and wasted-user percent, exactly as dive gives them), or files (secrets)
 */
export type RuleUnit = 'bytes' | 'percent' | 'layers' | 'ratio' | 'files'

/** The worst of some statuses or verdicts: fail over warn over pass; skips count as passes. */
export function worstVerdict(statuses: Iterable<RuleStatus>): Verdict {
  const all = [...statuses]
  if (all.includes('fail')) return 'fail'
  if (all.includes('warn')) return 'warn'
  return 'pass'
}
