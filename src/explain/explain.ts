import type { Comparison, LayerDiff } from '../compare/compare.js'
import type { FileComparison } from '../model/files.js'
import { baseImageRowCount, fatBaseImage } from './base-image.js'
import { devDependencies } from './dev-dependencies.js'
import { buildTools, packageCache } from './install-rules.js'
import { broadCopy, deletedInLaterLayer } from './layer-rules.js'
import { metadataCopyUp } from './copy-up.js'
import { shellCommands } from './shell.js'
import type { ExplainContext, ExplainRule, Finding, Step } from './types.js'
import { errorMessage } from '../util/errors.js'
import { silentLogger, type Logger } from '../util/log.js'

export type { Finding } from './types.js'

/** Every rule, in the order findings of equal size are listed. */
export const EXPLAIN_RULES: ExplainRule[] = [
  fatBaseImage,
  buildTools,
  packageCache,
  deletedInLaterLayer,
  broadCopy,
  devDependencies,
  metadataCopyUp,
]

/**
 * Why the PR image grew, with the fix for each cause (the lesson's techniques), from the
 * layers' normalised instructions and sizes. Conservative: every finding points at layers
 * this PR added or grew, or at a grown base image; nothing is found when nothing grew.
 * Ordered by the bytes attributed, largest first. Never throws.
 */
export function explainGrowth(
  comparison: Comparison,
  rules = EXPLAIN_RULES,
  log: Logger = silentLogger,

  _files?: FileComparison,
): Finding[] {
  if (!grew(comparison)) return []
  const context = explainContext(comparison)
  return rules
    .flatMap((rule) => tryExplain(rule, context, log))
    .sort((a, b) => (b.bytes ?? -1) - (a.bytes ?? -1))
}

/** With a baseline, the total grew; without one, any layer has a size. */
function grew(c: Comparison): boolean {
  if (c.base) return (c.totals.deltaBytes ?? 0) > 0
  return c.layers.some((l) => (l.deltaBytes ?? 0) > 0)
}

function explainContext(comparison: Comparison): ExplainContext {
  const baseImageRows = baseImageRowCount(comparison)
  const steps = comparison.layers.slice(baseImageRows).flatMap((row) => toStep(row) ?? [])
  return { comparison, baseImageRows, steps }
}

function toStep(row: LayerDiff): Step | undefined {
  if (row.headPosition === undefined) return undefined
  const instruction = row.step
  const grown = row.change !== 'unchanged' && (row.deltaBytes ?? 0) > 0
  return {
    position: row.headPosition,
    instruction,
    commands: shellCommands(instruction),
    growth: grown ? (row.deltaBytes ?? 0) : 0,
    headBytes: row.headBytes,
  }
}

/**
 * A rule that throws is a bug in it; the report must still be published (fail late), so its
 * findings are left out rather than the run failed, with a warning that names the rule.
 */
function tryExplain(rule: ExplainRule, context: ExplainContext, log: Logger): Finding[] {
  try {
    return rule.explain(context)
  } catch (error) {
    log.warning(
      `The explain rule ${rule.key} failed, so its findings are left out (a bug: please report it): ${errorMessage(error)}`,
    )
    return []
  }
}
