/**
 * dive's CI rule file (`.dive-ci`), read as dive reads it, so that a dive CI set-up moves over
 * unchanged. dive (cmd/dive/cli/internal/options/ci.go) unmarshals the file's `rules` mapping into
 * three strings that start as its defaults (lowestEfficiency 0.9, highestWastedBytes disabled,
 * highestUserWastedPercent 0.1): a rule left out, or given as a YAML null, keeps its default, and
 * every other key is ignored. It then parses each string (cmd/dive/cli/internal/command/ci/rules.go):
 * "", disabled, off or false (any case) turn a rule off; the two ratios are floats from 0 to 1;
 * the bytes are go-humanize sizes (20MB, 20Mb, 1.5 GiB). dive fails a rule when efficiency <
 * lowestEfficiency, wasted bytes > highestWastedBytes, wasted-user ratio > highestUserWastedPercent.
 */
import { isAlias, isMap, isScalar, parseDocument, type Document } from 'yaml'

/** dive's three rules: ratios 0..1 and bytes; absent when the rule is disabled */
export interface DiveCiRules {
  /** Fail when dive's efficiency is below this ratio */
  lowestEfficiency?: number
  /** Fail when dive's wasted bytes are above this */
  highestWastedBytes?: number
  /** Fail when dive's wasted bytes / user bytes is above this ratio */
  highestUserWastedPercent?: number
}

export type DiveCiKey = keyof DiveCiRules

/** dive's DefaultCIRules (cmd/dive/cli/internal/options/ci_rules.go): what a key left out means */
const DIVE_DEFAULTS: Record<DiveCiKey, string> = {
  lowestEfficiency: '0.9',
  highestWastedBytes: 'disabled',
  highestUserWastedPercent: '0.1',
}
const KEYS = Object.keys(DIVE_DEFAULTS) as DiveCiKey[]
/**
 * The names dive's own config file (`.dive.yaml`, with `ci: true`) gives the same rules; taken
 * too, so that either file moves over. (dive reads only the camelCase names from `.dive-ci`.)
 */
const SNAKE_CASE: Record<DiveCiKey, string> = {
  lowestEfficiency: 'lowest-efficiency-threshold',
  highestWastedBytes: 'highest-wasted-bytes',
  highestUserWastedPercent: 'highest-user-wasted-percent',
}

/** dive's isRuleDisabled */
export function isDiveDisabled(value: string): boolean {
  return ['', 'disabled', 'off', 'false'].includes(value.trim().toLowerCase())
}

/**
 * Go's strconv.ParseFloat on a decimal: an optional sign, digits with an optional point, an
 * optional exponent; Inf and NaN as Go spells them. (Go's hex floats and `_` separators are left
 * out: no dive set-up writes a ratio that way.)
 */
function parseGoFloat(text: string): number | undefined {
  if (/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(text)) return Number(text)
  if (/^[+-]?(inf|infinity)$/i.test(text)) return text.startsWith('-') ? -Infinity : Infinity
  if (/^nan$/i.test(text)) return NaN
  return undefined
}

/**
 * A ratio rule's value as dive takes it: a float from 0 to 1. `ratio` is undefined for NaN, which
 * dive accepts (it passes `threshold < 0 || threshold > 1`) and which can never fail a rule there.
 */
export function parseDiveRatio(value: string): { ratio?: number } | { error: string } {
  const ratio = parseGoFloat(value)
  if (ratio === undefined) return { error: 'a number from 0 to 1, or "disabled"' }
  if (Number.isNaN(ratio)) return {}
  if (ratio < 0 || ratio > 1) return { error: 'a number from 0 to 1 (outside the allowed range)' }
  return { ratio }
}

/** go-humanize's bytesSizeTable (v1.0.1, the version dive uses): lower-cased unit → bytes */
const HUMANIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1e3,
  kb: 1e3,
  ki: 1024,
  kib: 1024,
  m: 1e6,
  mb: 1e6,
  mi: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1e9,
  gb: 1e9,
  gi: 1024 ** 3,
  gib: 1024 ** 3,
  t: 1e12,
  tb: 1e12,
  ti: 1024 ** 4,
  tib: 1024 ** 4,
  p: 1e15,
  pb: 1e15,
  pi: 1024 ** 5,
  pib: 1024 ** 5,
  e: 1e18,
  eb: 1e18,
  ei: 1024 ** 6,
  eib: 1024 ** 6,
}

/**
 * go-humanize's ParseBytes: the leading run of digits, `.` and `,` (commas dropped) is the
 * number, the rest (trimmed, any case) the unit; the result is truncated to whole bytes.
 */
export function parseDiveBytes(value: string): { bytes: number } | { error: string } {
  const expected = 'a size such as 20MB, 20Mb or 1.5GiB, or "disabled"'
  const match = /^([0-9.,]*)(.*)$/s.exec(value)
  const number = parseGoFloat((match?.[1] ?? '').replace(/,/g, ''))
  const unit = HUMANIZE_UNITS[(match?.[2] ?? '').trim().toLowerCase()]
  if (number === undefined || Number.isNaN(number) || unit === undefined) return { error: expected }
  const bytes = Math.floor(number * unit)
  if (!Number.isSafeInteger(bytes)) return { error: `${expected}; the number is too large` }
  return { bytes }
}

/** The file's text, or why it is not a dive CI file; one line, never the whole file. */
export function parseDiveCi(text: string): { rules: DiveCiRules } | { error: string } {
  const doc = parseDocument(text, { uniqueKeys: true })
  if (doc.errors.length > 0) return { error: `YAML: ${firstLine(doc.errors[0].message)}` }
  const values = ruleValues(doc)
  if ('error' in values) return values
  const rules: DiveCiRules = {}
  for (const key of KEYS) {
    const { value, name } = values[key]
    if (isDiveDisabled(value)) continue
    const parsed = key === 'highestWastedBytes' ? parseDiveBytes(value) : parseDiveRatio(value)
    if ('error' in parsed)
      return { error: `rules.${name} is ${quote(value)}; dive takes ${parsed.error}` }
    const limit = 'bytes' in parsed ? parsed.bytes : parsed.ratio
    if (limit !== undefined) rules[key] = limit
  }
  return { rules }
}

type RuleTexts = Record<DiveCiKey, { value: string; name: string }>

/** Each rule's text as dive's YAML decoder gives it to a Go string: the scalar as written. */
function ruleValues(doc: Document): RuleTexts | { error: string } {
  const values = Object.fromEntries(
    KEYS.map((key) => [key, { value: DIVE_DEFAULTS[key], name: key }]),
  ) as RuleTexts
  const top = doc.contents
  if (top === null || (isScalar(top) && top.value === null)) return values
  if (!isMap(top)) return { error: 'the file is not a YAML mapping with a rules key' }
  const rules = top.get('rules', true)
  if (rules === undefined || (isScalar(rules) && rules.value === null)) return values
  if (!isMap(rules)) return { error: 'rules is not a mapping of rule names to values' }
  for (const key of KEYS) {
    const names = [key, SNAKE_CASE[key]].filter((name) => rules.has(name))
    if (names.length > 1) return { error: `rules gives ${names.join(' and ')}, the same rule` }
    if (names.length === 0) continue
    let node: unknown = rules.get(names[0], true)
    if (isAlias(node)) node = node.resolve(doc)
    if (!isScalar(node)) return { error: `rules.${names[0]} is not a single value` }
    // yaml.v3 leaves a Go string as it was for a null (`~`, `null`, nothing): dive's default.
    if (node.value === null && node.type === 'PLAIN') continue
    values[key] = { value: node.source ?? String(node.value), name: names[0] }
  }
  return values
}

function firstLine(text: string): string {
  return text.split('\n')[0].trim()
}

/** An untrusted value from the file, quoted and cut short. */
function quote(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)
}
