import { isOff, parseSize, parseSizeLimit, SIZE_EXPECTED } from './size.js'
import type { InputProblem } from '../util/errors.js'
import { parseFileBudget, type FileBudget, type RawFileBudget } from './file-budget.js'

/** A limit on growth: bytes, percent of the base total, or both (either one breached counts). */
export interface IncreaseLimit {
  bytes?: number
  percent?: number
}

/**
 * Budgets, all optional ("off" when absent). Size figures are on the report's basis; the file
 * budgets (FileBudget) are on what the file analysis counts.
 */
export interface Budget extends FileBudget {
  /** Fail when the PR image is larger than this many bytes */
  maxSizeBytes?: number
  /** Warn when the PR image is larger than this many bytes */
  warnSizeBytes?: number
  /** Fail when the PR image grew by more than this */
  maxIncrease?: IncreaseLimit
  /** Warn when the PR image grew by more than this */
  warnIncrease?: IncreaseLimit
  /** Fail when the PR image has more layers than this */
  maxLayers?: number
}

/** Budget settings as text, exactly as written in the workflow or on the command line. */
export interface RawBudget extends RawFileBudget {
  'max-size'?: string
  'warn-size'?: string
  'max-increase'?: string
  'warn-increase'?: string
  'max-layers'?: string
}

const INCREASE_EXPECTED = `a size (20MB), a percentage from 0% to 100% (5%), both (20MB,5%) or "off"`

type Parsed<T> = { value?: T } | { error: string }

/** One bad value: the input, the value as written, what was expected (worded by each front end). */
export function problem(input: string, value: string, expected: string): InputProblem {
  return { input, value, expected }
}

export function parseIncreaseLimit(text: string): Parsed<IncreaseLimit> {
  if (isOff(text)) return {}
  const limit: IncreaseLimit = {}
  for (const part of text.split(',').map((p) => p.trim())) {
    const percent = /^([0-9]+(?:\.[0-9]+)?)\s*%$/.exec(part)
    if (percent) {
      const value = Number(percent[1])
      if (value > 100 || limit.percent !== undefined) return { error: INCREASE_EXPECTED }
      limit.percent = value
      continue
    }
    const size = parseSize(part)
    if ('error' in size || limit.bytes !== undefined) return { error: INCREASE_EXPECTED }
    limit.bytes = size.bytes
  }
  return { value: limit }
}

export function parseCount(text: string): Parsed<number> {
  if (isOff(text)) return {}
  if (!/^[0-9]+$/.test(text.trim()))
    return { error: 'a whole number of layers such as 40, or "off"' }
  const value = Number(text.trim())
  return Number.isSafeInteger(value) && value > 0
    ? { value }
    : { error: 'a whole number of layers from 1, or "off"' }
}

/** Parses every budget setting; all problems are reported together. */
export function parseBudget(
  raw: RawBudget,
  readText?: (path: string) => string,
): { budget: Budget; problems: InputProblem[] } {
  const problems: InputProblem[] = []
  const take = <T>(input: keyof RawBudget, parse: (text: string) => Parsed<T>): T | undefined => {
    const text = raw[input] ?? ''
    const parsed = parse(text)
    if ('error' in parsed) {
      problems.push(problem(input, text, parsed.error))
      return undefined
    }
    return parsed.value
  }
  const budget: Budget = {
    maxSizeBytes: take('max-size', parseSizeLimit),
    warnSizeBytes: take('warn-size', parseSizeLimit),
    maxIncrease: take('max-increase', parseIncreaseLimit),
    warnIncrease: take('warn-increase', parseIncreaseLimit),
    maxLayers: take('max-layers', parseCount),
  }
  problems.push(...checkOrder(raw, budget))
  const files = parseFileBudget(raw, readText)
  problems.push(...files.problems)
  return { budget: { ...budget, ...files.budget }, problems }
}

/** A warning threshold must sit below its failure threshold, in the same unit. */
function checkOrder(raw: RawBudget, budget: Budget): InputProblem[] {
  const out: InputProblem[] = []
  const above = (warn?: number, max?: number) =>
    warn !== undefined && max !== undefined && warn > max
  if (above(budget.warnSizeBytes, budget.maxSizeBytes)) {
    out.push(problem('warn-size', raw['warn-size'] ?? '', `at most max-size (${raw['max-size']})`))
  }
  const w = budget.warnIncrease
  const m = budget.maxIncrease
  if (above(w?.bytes, m?.bytes) || above(w?.percent, m?.percent)) {
    out.push(
      problem(
        'warn-increase',
        raw['warn-increase'] ?? '',
        `at most max-increase (${raw['max-increase']})`,
      ),
    )
  }
  return out
}

export { parseSizeLimit, SIZE_EXPECTED }
