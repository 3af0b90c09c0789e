import { evaluateBudget } from './budget/rules.js'
import type { DriftContext } from './budget/drift.js'
import type { SizeHistory } from './model/size-history.js'
import { compareImages } from './compare/compare.js'
import { EXPLAIN_RULES, explainGrowth } from './explain/explain.js'
import { analyseFiles } from './files/analyse.js'
import { formatPlatform, type ImageInfo } from './model/image.js'
import type { GateOptions } from './options.js'
import { worstVerdict } from './model/verdict.js'
import type { Report, ReportEntry } from './report/report.js'
import { readImagePair } from './sources/read-image-pair.js'
import type { SourceContext } from './sources/read-image.js'
import { ImageNotFoundError } from './sources/errors.js'
import { UserError } from './util/errors.js'
import type { Logger } from './util/log.js'

export interface GateDeps extends Omit<SourceContext, 'credentials'> {
  log: Logger
  /** The clock the drift budget measures its window from; default the system's */
  now?: () => Date
}

/**
 * Reads both images, compares them and evaluates the budget. A missing base image is a
 * report without a baseline (an error with `baseMissing: 'fail'`); a missing PR image, an
 * unreachable engine or a denied registry is an error.
 */
export async function runGate(options: GateOptions, deps: GateDeps): Promise<Report> {
  const entries: ReportEntry[] = []
  // One platform at a time: memory stays that of one image pair.
  for (const platform of options.platforms ?? [undefined]) {
    const context: SourceContext = {
      ...deps,
      credentials: options.credentials,
      platform,
      measureContent: options.basis === 'uncompressed',
      listFiles: options.fileAnalysis !== false,
      insecureRegistries: options.insecureRegistries,
    }
    const label = platform ? formatPlatform(platform) : undefined
    const trend = trendOf(options.history, label)
    const now = deps.now?.() ?? new Date()
    const drift = trend && { ...trend, now, warning: options.history?.warning }
    const entry = await compareOnce(options, context, drift)
    entries.push({ ...entry, ...(label ? { label } : {}), ...(trend ? { trend } : {}) })
  }
  return { entries, verdict: worstVerdict(entries.map((e) => e.verdict)) }
}

/**
 * The base branch's points for one entry: those of its platform when several are compared, those
 * without a platform for a single pair. Undefined without a history.
 */
export function trendOf(
  history: SizeHistory | undefined,
  label: string | undefined,
): ReportEntry['trend'] {
  if (!history) return undefined
  const points = history.points.filter((p) => (label ? p.platform === label : !p.platform))
  return { branch: history.branch, points }
}

async function compareOnce(
  options: GateOptions,
  context: SourceContext,
  drift: DriftContext | undefined,
): Promise<ReportEntry> {
  // Both images at once: the engine, registry or disk answers them in parallel, and what they
  // share is read once. A PR image error wins over a base image error, since it is the one
  // the user must fix.
  const reads = readImagePair(options.head, options.base, context)
  const [headRead, baseRead] = await Promise.allSettled([
    reads.head,
    readBase(options, context, reads.base),
  ])
  if (headRead.status === 'rejected') throw headRead.reason
  if (baseRead.status === 'rejected') throw baseRead.reason
  const head = headRead.value
  const { base, noBaseline } = baseRead.value
  const comparison = compareImages(base, head, {
    basis: options.basis,
    noBaseline,
    noBaselineLog: options.noBaselineLog,
  })
  const files = context.listFiles ? analyseFiles(base, head) : undefined
  const rules = evaluateBudget(options.budget, comparison, files, drift)
  return {
    comparison,
    rules,
    verdict: worstVerdict(rules.map((r) => r.status)),
    findings: explainGrowth(comparison, EXPLAIN_RULES, context.log, files),
    files,
  }
}

async function readBase(
  options: GateOptions,
  context: SourceContext,
  read: Promise<ImageInfo> | undefined,
): Promise<{ base?: ImageInfo; noBaseline?: string }> {
  if (!read) return noBaselineOr(options, context, options.noBaseline)
  try {
    return { base: await read }
  } catch (error) {
    if (!(error instanceof ImageNotFoundError)) throw error
    return noBaselineOr(options, context, error.message, true)
  }
}

/**
 * No base image to compare with: a report without a baseline, or with `base-missing: fail` an
 * error that gives the reason in one line.
 */
function noBaselineOr(
  options: GateOptions,
  context: SourceContext,
  reason = 'no base image was given',
  warn = false,
): { noBaseline: string } {
  if (options.baseMissing === 'fail') {
    const which = context.platform ? ` for ${formatPlatform(context.platform)}` : ''
    throw new UserError(
      `No base image to compare with${which}: ${reason}. base-missing is "fail", so this is an error (set it to "no-baseline" to compare without a baseline).`,
    )
  }
  if (warn)
    context.log.warning(
      `${reason}; comparing without a baseline (base-missing: fail makes this an error)`,
    )
  return { noBaseline: reason }
}
