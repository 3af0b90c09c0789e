import { parseBudget, problem, type Budget } from './budget/budget.js'
import type { OptionName } from './inputs-table.js'
import type { Platform, SizeBasis } from './model/image.js'
import { PLATFORM_PATTERN } from './model/platform.js'
import { parseSourceRef, type ImageSourceRef } from './model/reference.js'
import { bindCredentials } from './sources/credentials/bind-credentials.js'
import type { CredentialOptions } from './sources/credentials/index.js'
import { InputError, type InputProblem } from './util/errors.js'
import type { SizeHistory } from './model/size-history.js'

/**
 * Everything a comparison needs, validated. The action fills it from its inputs, the CLI from
 * its arguments; both hand over the text as written, and every problem is reported at once.
 */
export interface GateOptions {
  /** The base branch's image; undefined: compare without a baseline */
  base?: ImageSourceRef
  head: ImageSourceRef
  budget: Budget
  basis: SizeBasis
  credentials: CredentialOptions
  /** Registries (host[:port]) to reach over plain HTTP besides loopback ones */
  insecureRegistries?: string[]
  /** Compare these platforms of multi-platform images, one report entry each; default: one */
  platforms?: Platform[]
  /** Why there is no base image when `base` is absent (e.g. the base build failed) */
  noBaseline?: string
  /** Lines to show with `noBaseline`, e.g. the end of the base build's log */
  noBaselineLog?: string[]
  /** What a missing base image does: compare without a baseline (default), or fail the run */
  baseMissing?: BaseMissing
  /**
   * Read every file of every layer (paths, waste, packages, secrets); default true. False gives
   * the layer figures alone, at the speed of reading layer sizes.
   */
  fileAnalysis?: boolean
  /** The base branch's size history for this image (issue 11): the trend and the drift budget */
  history?: SizeHistory
}

/** `no-baseline`: report without a baseline, saying so first; `fail`: a missing base is an error. */
export type BaseMissing = 'no-baseline' | 'fail'
const BASE_MISSING: BaseMissing[] = ['no-baseline', 'fail']

/** Options before the images are known: the action may build the head image itself. */
export type ParsedOptions = Omit<GateOptions, 'head'> & { head?: ImageSourceRef }

/** Option names are the action's input names; the CLI uses the same ones as --flags. */
export type RawOptions = { [K in OptionName]?: string }

const BASES: SizeBasis[] = ['uncompressed', 'compressed']

export function parseOptions(raw: RawOptions): GateOptions
export function parseOptions(raw: RawOptions, options: { headRequired: boolean }): ParsedOptions
export function parseOptions(raw: RawOptions, options = { headRequired: true }): ParsedOptions {
  const problems: InputProblem[] = []
  const ref = (
    input: 'base-image' | 'head-image',
    required: boolean,
  ): ImageSourceRef | undefined => {
    const text = (raw[input] ?? '').trim()
    if (text === '') {
      if (required) problems.push(problem(input, text, 'an image reference; it is required'))
      return undefined
    }
    const parsed = parseSourceRef(text)
    if ('error' in parsed) problems.push(problem(input, text, parsed.error))
    return 'error' in parsed ? undefined : parsed
  }
  const base = ref('base-image', false)
  const head = ref('head-image', options.headRequired)
  const { budget, problems: budgetProblems } = parseBudget(raw)
  problems.push(...budgetProblems)
  const basisText = (raw['size-basis'] ?? '').trim() || 'uncompressed'
  if (!BASES.includes(basisText as SizeBasis)) {
    problems.push(problem('size-basis', basisText, '"uncompressed" or "compressed"'))
  }
  const username = raw['registry-username']?.trim() || undefined
  const password = raw['registry-password'] || undefined
  if (Boolean(username) !== Boolean(password)) {
    const missing = username ? 'registry-password' : 'registry-username'
    problems.push(
      problem(
        missing,
        '',
        `a value, because ${username ? 'registry-username' : 'registry-password'} is set`,
      ),
    )
  }
  const insecureText = raw['insecure-registries'] ?? ''
  const insecureRegistries = insecureText.split(/[\s,]+/).filter(Boolean)
  if (!insecureRegistries.every((r) => /^[A-Za-z0-9.-]+(:[0-9]{1,5})?$/.test(r))) {
    problems.push(
      problem(
        'insecure-registries',
        insecureText,
        'comma-separated registry hosts such as registry:5000',
      ),
    )
  }
  const bound = bindCredentials({
    registry: raw.registry ?? '',
    hasCredentials: Boolean(username && password),
    hasEither: Boolean(username || password),
    images: [base, head],
    insecureRegistries,
  })
  if ('error' in bound) problems.push(problem('registry', raw.registry ?? '', bound.error))
  const baseMissing = (raw['base-missing'] ?? '').trim() || 'no-baseline'
  if (!BASE_MISSING.includes(baseMissing as BaseMissing))
    problems.push(problem('base-missing', baseMissing, '"no-baseline" or "fail"'))
  const platforms = parsePlatforms(raw.platforms ?? '')
  if ('error' in platforms)
    problems.push(problem('platforms', raw.platforms ?? '', platforms.error))
  if (problems.length > 0) throw new InputError(problems)
  return {
    base,
    head,
    budget,
    basis: basisText as SizeBasis,
    credentials: { username, password, registry: 'registry' in bound ? bound.registry : undefined },
    platforms: 'error' in platforms || platforms.length === 0 ? undefined : platforms,
    insecureRegistries: insecureRegistries.length > 0 ? insecureRegistries : undefined,
    baseMissing: baseMissing as BaseMissing,
    fileAnalysis: budget.fileAnalysis !== false,
  }
}

/** `linux/amd64,linux/arm64/v8` → platforms; empty text → none. */
export function parsePlatforms(text: string): Platform[] | { error: string } {
  const platforms: Platform[] = []
  for (const item of text.split(/[\s,]+/).filter(Boolean)) {
    const match = PLATFORM_PATTERN.exec(item)
    if (!match) return { error: 'comma-separated platforms such as linux/amd64,linux/arm64/v8' }
    platforms.push({
      os: match[1],
      architecture: match[2],
      ...(match[3] ? { variant: match[3] } : {}),
    })
  }
  return platforms
}
