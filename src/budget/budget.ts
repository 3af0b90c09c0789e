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
  /** Fail when the PR image is more than this above the base branch's size a window ago */
  maxDrift?: DriftLimit
  /** Warn when the PR image is more than this above the base branch's size a window ago */
  warnDrift?: DriftLimit
}

/**
 * Growth over a window of the base branch's size history (issue 11): bytes, percent of the size
 * at the window's start, or both, over `windowDays` days.
 */
export interface DriftLimit extends IncreaseLimit {
  windowDays: number
}

/** Budget settings as text, exactly as written in the workflow or on the command line. */
export interface RawBudget extends RawFileBudget {
  'max-size'?: string
  'warn-size'?: string
  'max-increase'?: string
  'warn-increase'?: string
  'max-layers'?: string
  'max-drift'?: string
  'warn-drift'?: string
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

/** The longest drift window: two years of history (the store thins old entries to one a week). */
export const MAX_DRIFT_DAYS = 730
const DRIFT_EXPECTED = `a growth and a window such as 10%/30d, 50MB/90d or 50MiB/12w (the growth as for max-increase; the window in days d or weeks w, from 1d to ${MAX_DRIFT_DAYS}d), or "off"`

/** `10%/30d`, `50MB/90d`, `50MiB,5%/12w`, `off`. */
export function parseDriftLimit(text: string): Parsed<DriftLimit> {
  if (isOff(text)) return {}
  const match = /^(.+)\/\s*([0-9]+)\s*([dw])$/i.exec(text.trim())
  if (!match) return { error: DRIFT_EXPECTED }
  const limit = parseIncreaseLimit(match[1])
  if ('error' in limit || !limit.value || isOff(match[1])) return { error: DRIFT_EXPECTED }
  const windowDays = Number(match[2]) * (match[3].toLowerCase() === 'w' ? 7 : 1)
  if (windowDays < 1 || windowDays > MAX_DRIFT_DAYS)
    return { error: `${DRIFT_EXPECTED}; the window is ${windowDays} days` }
  return { value: { ...limit.value, windowDays } }
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
    maxDrift: take('max-drift', parseDriftLimit),
    warnDrift: take('warn-drift', parseDriftLimit),
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
  const wd = budget.warnDrift
  const md = budget.maxDrift
  if (
    wd?.windowDays === md?.windowDays &&
    (above(wd?.bytes, md?.bytes) || above(wd?.percent, md?.percent))
  ) {
    out.push(
      problem('warn-drift', raw['warn-drift'] ?? '', `at most max-drift (${raw['max-drift']})`),
    )
  }
  return out
}

export { parseSizeLimit, SIZE_EXPECTED }
