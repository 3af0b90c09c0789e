import { capitalise, codeText, layersText } from '../format/text.js'
import type { Finding, Step } from './types.js'

const MAX_CLAUSES = 5

/**
 * Untrusted text as inline code inside a finding's text: one line, truncated, with no
 * backticks (which would end the span) and no pipes. Renderers escape it again.
 */
export function quote(text: string, maxChars = 60): string {
  return `\`${codeText(text, maxChars) || '…'}\``
}

/** Positions, deduplicated and in order. */
export function positionsOf(steps: Array<{ position: number }>): number[] {
  return [...new Set(steps.map((s) => s.position))].sort((a, b) => a - b)
}

export function totalGrowth(steps: Array<{ position: number; growth: number }>): number {
  const seen = new Map(steps.map((s) => [s.position, s.growth]))
  return [...seen.values()].reduce((sum, bytes) => sum + bytes, 0)
}

/** The added or grown RUN steps: the only ones a rule about commands looks at. */
export const grownRuns = (steps: Step[]) =>
  steps.filter((s) => s.growth > 0 && s.commands.length > 0)

/** Build the finding of a rule that flags layers, one clause per layer. */
export function layerFinding(
  base: Omit<Finding, 'layers' | 'bytes' | 'detail'>,
  hits: Array<{ step: Step; clause: string }>,
  lead: string,
  tail: string,
): Finding[] {
  if (hits.length === 0) return []
  const steps = hits.map((h) => h.step)
  const clauses = hits
    .slice(0, MAX_CLAUSES)
    .map((h) => `${layersText([h.step.position])} ${h.clause}`)
  if (hits.length > MAX_CLAUSES) clauses.push(`and ${hits.length - MAX_CLAUSES} more layers`)
  return [
    {
      ...base,
      layers: positionsOf(steps),
      bytes: totalGrowth(steps),
      detail: `${lead}${capitalise(clauses.join('; '))}.${tail}`,
    },
  ]
}
