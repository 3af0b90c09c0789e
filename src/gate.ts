import { evaluateBudget, verdictOf } from './budget/rules.js'
import { compareImages } from './compare/compare.js'
import { explainGrowth } from './explain/explain.js'
import { formatPlatform, type ImageInfo } from './model/image.js'
import type { ImageSourceRef } from './model/reference.js'
import type { GateOptions } from './options.js'
import { worstVerdict, type Report, type ReportEntry } from './report/report.js'
import { readImageAs } from './sources/image-role.js'
import type { SourceContext } from './sources/resolve.js'
import { ImageNotFoundError } from './sources/errors.js'
import type { Logger } from './util/log.js'

export interface GateDeps extends Omit<SourceContext, 'credentials'> {
  log: Logger
}

/**
 * Reads both images, compares them and evaluates the budget. A missing base image is a
 * report without a baseline; a missing PR image, an unreachable engine or a denied registry
 * is an error.
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
      insecureRegistries: options.insecureRegistries,
    }
    const entry = await compareOnce(options, context)
    entries.push(platform ? { ...entry, label: formatPlatform(platform) } : entry)
  }
  return { entries, verdict: worstVerdict(entries.map((e) => e.verdict)) }
}

async function compareOnce(options: GateOptions, context: SourceContext): Promise<ReportEntry> {
  // Both images at once: the engine, registry or disk answers them in parallel. A PR image
  // error wins over a base image error, since it is the one the user must fix.
  const [headRead, baseRead] = await Promise.allSettled([
    readImageAs('PR', options.head, context),
    readBase(options.base, context, options.noBaseline),
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
  const rules = evaluateBudget(options.budget, comparison)
  return { comparison, rules, verdict: verdictOf(rules), findings: explainGrowth(comparison) }
}

async function readBase(
  ref: ImageSourceRef | undefined,
  context: SourceContext,
  reason = 'no base image was given',
): Promise<{ base?: ImageInfo; noBaseline?: string }> {
  if (!ref) return { noBaseline: reason }
  try {
    return { base: await readImageAs('base', ref, context) }
  } catch (error) {
    if (!(error instanceof ImageNotFoundError)) throw error
    context.log.warning(`${error.message}; comparing without a baseline`)
    return { noBaseline: error.message }
  }
}
