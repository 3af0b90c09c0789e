/**
 * Budgets on what the file analysis finds: waste, dive's figures, secrets. Parsed from the inputs
 * as written, with dive's `.dive-ci` rules where the inputs leave a dive budget unset.
 */
import { readFileSync } from 'node:fs'
import type { InputProblem } from '../util/errors.js'
import { parseDiveCi, type DiveCiKey, type DiveCiRules } from './dive-ci.js'
import { parseSizeLimit } from './size.js'

export interface FileBudget {
  /** Fail when the PR image's hidden copies (reclaimable bytes) are more than this */
  maxReclaimableBytes?: number
  /** Fail when the PR added more than this to the reclaimable bytes */
  maxReclaimableIncreaseBytes?: number
  /** Fail when dive's efficiency is below this ratio (0..1) */
  minEfficiency?: number
  /** Fail when dive's wasted bytes are more than this */
  maxWastedBytes?: number
  /** Fail when dive's wasted bytes / user bytes is more than this ratio (0..1) */
  maxWastedUserRatio?: number
  /**
   * The status a secret file in the PR's own layers gives (ones only in the base image's layers
   * warn); absent: off. Default fail.
   */
  secrets?: 'fail' | 'warn'
  /**
   * true when `secrets` was left empty: the default check is then left out when the file analysis
   * is off (the layer figures alone, as before) and skipped when it did not run; a `secrets` the
   * user wrote is skipped, or not checked (a warning), instead.
   */
  secretsByDefault?: boolean
  /** false: file-analysis is off, so every rule above is skipped (default true) */
  fileAnalysis?: boolean
}

export interface RawFileBudget {
  'file-analysis'?: string
  'max-reclaimable'?: string
  'max-reclaimable-increase'?: string
  'min-efficiency'?: string
  'max-wasted-bytes'?: string
  'max-wasted-user-percent'?: string
  'dive-ci'?: string
  secrets?: string
}

type Parsed<T> = { value?: T } | { error: string }

const RATIO_EXPECTED = 'a ratio from 0 to 1 (0.95), a percentage from 0% to 100% (95%) or "off"'

/** dive's ratios as inputs: `0.95`, `95%`, `off`. */
export function parseRatioLimit(text: string): Parsed<number> {
  const t = text.trim()
  if (t === '' || t.toLowerCase() === 'off') return {}
  const match = /^([0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*(%?)$/.exec(t)
  if (!match) return { error: RATIO_EXPECTED }
  const number = Number(match[1])
  if (match[2] === '%') return number <= 100 ? { value: number / 100 } : { error: RATIO_EXPECTED }
  if (number <= 1) return { value: number }
  return { error: `${RATIO_EXPECTED}; ${t} is above 1 (write ${t}% for a percentage)` }
}

export function parseSecretsMode(text: string): Parsed<'fail' | 'warn'> {
  const t = text.trim().toLowerCase() || 'fail'
  if (t === 'off') return {}
  if (t === 'fail' || t === 'warn') return { value: t }
  return { error: '"fail", "warn" or "off"' }
}

export function parseBoolean(text: string, byDefault: boolean): Parsed<boolean> {
  const t = text.trim().toLowerCase()
  if (t === '') return { value: byDefault }
  if (t === 'true' || t === 'false') return { value: t === 'true' }
  return { error: '"true" or "false"' }
}

/** The dive budgets and the input each one comes from, in dive's `.dive-ci` names. */
const DIVE_INPUTS: Array<[keyof RawFileBudget, DiveCiKey, keyof FileBudget]> = [
  ['min-efficiency', 'lowestEfficiency', 'minEfficiency'],
  ['max-wasted-bytes', 'highestWastedBytes', 'maxWastedBytes'],
  ['max-wasted-user-percent', 'highestUserWastedPercent', 'maxWastedUserRatio'],
]

/**
 * Parses the file budgets; every problem is reported. A dive budget written as an input (even
 * `off`) wins over the `.dive-ci` file; one left empty takes the file's rule.
 */
export function parseFileBudget(
  raw: RawFileBudget,
  readText: (path: string) => string = (path) => readFileSync(path, 'utf8'),
): { budget: FileBudget; problems: InputProblem[] } {
  const problems: InputProblem[] = []
  const take = <T>(input: keyof RawFileBudget, parse: (text: string) => Parsed<T>) => {
    const text = raw[input] ?? ''
    const parsed = parse(text)
    if (!('error' in parsed)) return parsed.value
    problems.push({ input, value: text, expected: parsed.error })
    return undefined
  }
  const budget: FileBudget = {
    maxReclaimableBytes: take('max-reclaimable', parseSizeLimit),
    maxReclaimableIncreaseBytes: take('max-reclaimable-increase', parseSizeLimit),
    minEfficiency: take('min-efficiency', parseRatioLimit),
    maxWastedBytes: take('max-wasted-bytes', parseSizeLimit),
    maxWastedUserRatio: take('max-wasted-user-percent', parseRatioLimit),
    secrets: take('secrets', parseSecretsMode),
    secretsByDefault: (raw.secrets ?? '').trim() === '' || undefined,
    fileAnalysis: take('file-analysis', (t) => parseBoolean(t, true)) === false ? false : undefined,
  }
  const file = readDiveCi(raw['dive-ci'] ?? '', readText)
  if ('error' in file)
    problems.push({ input: 'dive-ci', value: raw['dive-ci'] ?? '', expected: file.error })
  else {
    for (const [input, diveKey, field] of DIVE_INPUTS) {
      if ((raw[input] ?? '').trim() === '' && file.rules[diveKey] !== undefined)
        (budget as Record<string, unknown>)[field] = file.rules[diveKey]
    }
  }
  // Only what is set: a budget compares equal to one built by hand.
  for (const key of Object.keys(budget) as Array<keyof FileBudget>)
    if (budget[key] === undefined) delete budget[key]
  return { budget, problems }
}

/** The `dive-ci` input's file: its rules, none when the input is empty, or why it cannot be used. */
function readDiveCi(
  path: string,
  readText: (path: string) => string,
): { rules: DiveCiRules } | { error: string } {
  if (path.trim() === '') return { rules: {} }
  let text: string
  try {
    text = readText(path.trim())
  } catch (error) {
    const code = (error as { code?: unknown }).code
    const why =
      code === 'ENOENT' ? 'there is no such file' : `it cannot be read (${String(code ?? error)})`
    return { error: `the path of a dive CI file such as .dive-ci; ${why}` }
  }
  const parsed = parseDiveCi(text)
  return 'error' in parsed ? { error: `a dive CI file dive accepts; ${parsed.error}` } : parsed
}
