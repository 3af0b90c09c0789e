import type { Evidence, Finding, LayerHit } from '../model/finding.js'
import type { Step } from './types.js'

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

/** The finding of a rule that flags layers: what it saw in each, their positions and growth. */
export function layerFinding<T>(
  key: string,
  hits: Array<{ step: Step; seen: T }>,
  evidence: (hits: Array<LayerHit<T>>) => Evidence,
): Finding[] {
  if (hits.length === 0) return []
  const steps = hits.map((h) => h.step)
  return [
    {
      key,
      layers: positionsOf(steps),
      bytes: totalGrowth(steps),
      evidence: evidence(hits.map((h) => ({ layer: h.step.position, seen: h.seen }))),
    },
  ]
}
