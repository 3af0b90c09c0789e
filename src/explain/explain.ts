import type { Comparison, LayerDiff } from '../compare/compare.js'
import type { FileComparison } from '../model/files.js'
import { baseImageRowCount, fatBaseImage } from './base-image.js'
import { cacheFiles } from './cache-files.js'
import { contextFiles } from './context-files.js'
import { devDependencies } from './dev-dependencies.js'
import { devPackages } from './dev-packages.js'
import { hiddenFiles } from './hidden-files.js'
import { buildTools, packageCache } from './install-rules.js'
import { broadCopy, deletedInLaterLayer } from './layer-rules.js'
import { metadataCopyUp } from './copy-up.js'
import { secretFiles } from './secret-files.js'
import { shellCommands } from './shell.js'
import { toolFiles } from './tool-files.js'
import type { ExplainContext, ExplainRule, Finding, Step } from './types.js'
import { errorMessage } from '../util/errors.js'
import { silentLogger, type Logger } from '../util/log.js'

export type { Finding } from './types.js'

/**
 * Every rule, in the order findings of equal size are listed. The file rules need the file
 * analysis; the step rules (guesses from the instructions) run only without it.
 */
export const EXPLAIN_RULES: ExplainRule[] = [
  secretFiles,
  fatBaseImage,
  toolFiles,
  buildTools,
  cacheFiles,
  packageCache,
  hiddenFiles,
  deletedInLaterLayer,
  contextFiles,
  broadCopy,
  devPackages,
  devDependencies,
  metadataCopyUp,
]

/**
 * Why the PR image grew, with the fix for each cause (the lesson's techniques). With the file
 * analysis (`files`), from the files and packages of both images: exact bytes, and causes the
 * base image already had marked `inBase`. Without it, from the layers' normalised
 * instructions and sizes, marked as hints. Conservative: nothing is found when nothing grew,
 * except secret-like files, which are always reported. Secrets first, then by the bytes
 * attributed, largest first, then what the base image already had. Never throws.
 */
export function explainGrowth(
  comparison: Comparison,
  rules = EXPLAIN_RULES,
  log: Logger = silentLogger,
  files?: FileComparison,
): Finding[] {
  const grown = grew(comparison)
  const context = explainContext(comparison, files)
  return rules
    .filter((rule) => (grown || rule.always) && runsWith(rule, files !== undefined))
    .flatMap((rule) => {
      const found = tryExplain(rule, context, log)
      return rule.basis === 'steps' ? found.map((f) => ({ ...f, hint: true })) : found
    })
    .sort((a, b) => rank(a) - rank(b) || (b.bytes ?? -1) - (a.bytes ?? -1))
}

/** Evidence wins: a guess from the instructions runs only where no file rule looks. */
function runsWith(rule: ExplainRule, withFiles: boolean): boolean {
  if (rule.basis === 'files') return withFiles
  if (rule.basis === 'steps') return !withFiles || rule.withFiles === true
  return true
}

/** Secrets the PR brought come first, whatever their size; what the base image had, last */
const rank = (f: Finding) => (f.inBase ? 2 : f.key === 'secret-file' ? 0 : 1)

/** With a baseline, the total grew; without one, any layer has a size. */
function grew(c: Comparison): boolean {
  if (c.base) return (c.totals.deltaBytes ?? 0) > 0
  return c.layers.some((l) => (l.deltaBytes ?? 0) > 0)
}

function explainContext(comparison: Comparison, files?: FileComparison): ExplainContext {
  const baseImageRows = baseImageRowCount(comparison)
  const steps = comparison.layers.slice(baseImageRows).flatMap((row) => toStep(row) ?? [])
  return { comparison, baseImageRows, steps, ...(files ? { files } : {}) }
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
