import { parseBudget, problem, type Budget, type RawBudget } from './budget/budget.js'
import type { SizeBasis } from './model/image.js'
import { parseSourceRef, type ImageSourceRef } from './model/reference.js'
import type { CredentialOptions } from './sources/credentials.js'
import { InputError } from './util/errors.js'

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
}

/** Option names are the action's input names; the CLI uses the same ones as --flags. */
export interface RawOptions extends RawBudget {
  'base-image'?: string
  'head-image'?: string
  'size-basis'?: string
  'registry-username'?: string
  'registry-password'?: string
}

const BASES: SizeBasis[] = ['uncompressed', 'compressed']

export function parseOptions(raw: RawOptions): GateOptions {
  const problems: string[] = []
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
  const head = ref('head-image', true)
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
  if (problems.length > 0 || !head) throw new InputError(problems)
  return { base, head, budget, basis: basisText as SizeBasis, credentials: { username, password } }
}
