/**
 * Deliberate increases: a PR label, or an acceptance line in the PR description, turns a failed
 * size budget into a warning. Pure: the GitHub adapter (src/github/read-acceptance.ts) says what
 * the PR holds and who did it; this decides and applies.
 */
import type { Comparison } from '../compare/compare.js'
import { formatDelta, formatPercent } from '../format/size.js'
import { listOf } from '../format/text.js'
import { worstVerdict, type Verdict } from '../model/verdict.js'
import type { AcceptLine } from './accept-line.js'
import type { RuleResult } from './rules.js'

/** The one budget never accepted: a leaked credential is not a size decision. */
export const NEVER_ACCEPTED = 'secrets'

/** The label on the PR, with its latest `labeled` event (GitHub's issue events). */
export interface LabelClaim {
  name: string
  /** Login of the account that applied it last */
  by: string
  /** ISO 8601 time of that event */
  at: string
  /** Applied by the PR's own author */
  byAuthor: boolean
}

/** The PR description's acceptance line, as read from the API (not the event payload). */
export interface BodyClaim {
  line: AcceptLine
  /** The PR's author: the description is theirs (REST does not say who edited it last) */
  author: string
}

/** What the PR holds that could accept an increase; each part absent when off or not there. */
export interface AcceptClaims {
  label?: LabelClaim
  body?: BodyClaim
}

/** What became of a claim, for the comment, the summary and the log. */
export interface Acceptance {
  /** accepted: the failed budgets are warnings; refused: a claim was there but does not apply */
  status: 'accepted' | 'refused'
  via: 'label' | 'body'
  /** The label's name (via label) */
  label?: string
  /** Login of who applied the label, or the PR's author for the description */
  by: string
  /** ISO 8601 time the label was applied; undefined for the description */
  at?: string
  byAuthor: boolean
  /** The amount as written (`+40MB`); undefined for a label, which accepts any increase */
  amount?: string
  /** Why it was refused (status refused) */
  reason?: string
  /** The budgets it turned from fail into warn */
  rules: string[]
}

/** The parts of a report entry acceptance reads and rewrites. */
export interface AcceptableEntry {
  comparison: Comparison
  rules: RuleResult[]
  verdict: Verdict
}

/** A failed budget an acceptance can turn into a warning: every one but `secrets`. */
export function isAcceptable(rule: RuleResult): boolean {
  return rule.status === 'fail' && rule.key !== NEVER_ACCEPTED
}

/**
 * Decides what the claims do to these entries. Undefined when no budget an acceptance can turn
 * failed (nothing to accept) or there is no claim. A label accepts any increase: applying it
 * takes triage or write access to the repository, and the comment names who did it and when.
 * The description's line accepts only when every compared pair grew by at most its amount
 * (a percentage: of each one's base), measured; without a baseline it is refused.
 */
export function decideAcceptance(
  claims: AcceptClaims,
  entries: AcceptableEntry[],
): Acceptance | undefined {
  const rules = [...new Set(entries.flatMap((e) => e.rules.filter(isAcceptable).map((r) => r.key)))]
  if (rules.length === 0) return undefined
  const { label, body } = claims
  if (label) {
    const { name, by, at, byAuthor } = label
    return { status: 'accepted', via: 'label', label: name, by, at, byAuthor, rules }
  }
  if (!body || body.line.kind === 'none') return undefined
  const who = { via: 'body' as const, by: body.author, byAuthor: true }
  if (body.line.kind === 'invalid')
    return {
      ...who,
      status: 'refused',
      reason: `the line is not understood: ${body.line.reason}`,
      rules: [],
    }
  const line = body.line
  const beyond = entries.map((e) => beyondAmount(e.comparison, line)).find(Boolean)
  const amount = line.text
  if (beyond) return { ...who, status: 'refused', amount, reason: beyond, rules: [] }
  // The line's amount bounds the PR's own increase; drift is the branch's growth over a window,
  // which a small PR can always claim to be within: only the label (a maintainer) accepts it.
  const own = rules.filter((key) => !isDriftRule({ key }))
  if (own.length === 0)
    return {
      ...who,
      status: 'refused',
      amount,
      reason: `${listOf(rules.map((key) => `\`${key}\``))} can only be accepted by the label: the description's amount is the PR's own increase, drift is the branch's`,
      rules: [],
    }
  return { ...who, status: 'accepted', amount, rules: own }
}

/** `max-drift`, `warn-drift`: growth of the base branch over a window (budget/drift.ts). */
export function isDriftRule(rule: { key: string }): boolean {
  return rule.key.endsWith('-drift')
}

/** Why this pair's growth is not within the line's amount; undefined when it is. */
function beyondAmount(c: Comparison, line: AcceptLine & { kind: 'line' }): string | undefined {
  if (c.noBaseline) return 'the increase was not measured (no baseline)'
  const { amount, text } = line
  if ('bytes' in amount) {
    const delta = c.totals.deltaBytes
    if (delta === undefined) return 'the increase in bytes is not known'
    return delta > amount.bytes
      ? `the image grew ${formatDelta(delta)}, more than ${text}`
      : undefined
  }
  const percent = c.totals.deltaPercent
  if (percent === undefined) return 'the increase in percent is not known'
  return percent > amount.percent
    ? `the image grew ${formatPercent(percent)}, more than ${text}`
    : undefined
}

/**
 * The entries with the accepted budgets' failures turned into warnings (`accepted: true`) and
 * their verdicts worked out again; `secrets` keeps failing. Unchanged unless accepted.
 */
export function applyAcceptance<E extends AcceptableEntry>(
  entries: E[],
  acceptance: Acceptance | undefined,
): E[] {
  if (acceptance?.status !== 'accepted') return entries
  return entries.map((entry) => {
    const rules = entry.rules.map((r): RuleResult =>
      isAcceptable(r) && acceptance.rules.includes(r.key)
        ? { ...r, status: 'warn', accepted: true }
        : r,
    )
    return { ...entry, rules, verdict: worstVerdict(rules.map((r) => r.status)) }
  })
}
