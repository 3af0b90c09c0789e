import { evaluateBudget, verdictOf } from './budget/rules.js'
import { compareImages } from './compare/compare.js'
import type { ImageInfo } from './model/image.js'
import type { ImageSourceRef } from './model/reference.js'
import type { GateOptions } from './options.js'
import type { Report } from './report/report.js'
import { readImage, type SourceContext } from './sources/resolve.js'
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
  const context: SourceContext = { ...deps, credentials: options.credentials }
  const head = await readImage(options.head, context)
  const { base, noBaseline } = await readBase(options.base, context)
  const comparison = compareImages(base, head, { basis: options.basis, noBaseline })
  const rules = evaluateBudget(options.budget, comparison)
  const verdict = verdictOf(rules)
  return { entries: [{ comparison, rules, verdict }], verdict }
}

async function readBase(
  ref: ImageSourceRef | undefined,
  context: SourceContext,
): Promise<{ base?: ImageInfo; noBaseline?: string }> {
  if (!ref) return { noBaseline: 'no base image was given' }
  try {
    return { base: await readImage(ref, context) }
  } catch (error) {
    if (!(error instanceof ImageNotFoundError)) throw error
    context.log.warning(`${error.message}; comparing without a baseline`)
    return { noBaseline: error.message }
  }
}
