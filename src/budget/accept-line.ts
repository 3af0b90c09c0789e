/**
 * The acceptance line of a PR description: `image-size-gate: accept +40MB` (or `+5%`). Pure:
 * the text comes from the GitHub adapter, the decision is in accept.ts.
 */
import { parseSize } from './size.js'

/** How much growth a line accepts: bytes or percent of the base total (one, never both). */
export type AcceptAmount = { bytes: number } | { percent: number }

export type AcceptLine =
  /** No line that starts with the keyword */
  | { kind: 'none' }
  /** One well-formed line; `text` is the amount as written (`+40MB`) */
  | { kind: 'line'; amount: AcceptAmount; text: string }
  /** A line that starts with the keyword but cannot be used; `reason` says why */
  | { kind: 'invalid'; reason: string }

/** Longest body read, in characters: GitHub caps a PR body at 65,536. */
const MAX_BODY_CHARS = 65_536
const KEYWORD = /^\s{0,3}image-size-gate\s*:\s*accept\b/i
const WELL_FORMED =
  /^\s{0,3}image-size-gate\s*:\s*accept\s+\+\s?([0-9]+(?:\.[0-9]+)?)\s*([a-z]*|%)\s*$/i

/**
 * Finds the one acceptance line. Only text a reader sees counts: HTML comments (PR templates
 * hide hints in them) and fenced code blocks (a PR documenting the feature) are skipped, and
 * so are quoted or indented lines. The amount must be a `+` size (`+40MB`, `+1.5 GiB`) or a
 * `+` percentage (`+5%`, at most 100%); anything after it makes the line invalid. Two or more
 * lines are ambiguous: none is used, so no edit can widen an acceptance by adding a line.
 */
export function parseAcceptLine(body: string): AcceptLine {
  const lines = visibleLines(body.slice(0, MAX_BODY_CHARS)).filter((l) => KEYWORD.test(l))
  if (lines.length === 0) return { kind: 'none' }
  if (lines.length > 1)
    return { kind: 'invalid', reason: `${lines.length} acceptance lines; write exactly one` }
  const match = WELL_FORMED.exec(lines[0])
  if (!match) return { kind: 'invalid', reason: AMOUNT_EXPECTED }
  const [, number, unit] = match
  if (unit === '%') {
    const percent = Number(number)
    return percent > 0 && percent <= 100
      ? { kind: 'line', amount: { percent }, text: `+${number}%` }
      : { kind: 'invalid', reason: 'a percentage above 0% and at most 100%' }
  }
  const size = parseSize(`${number}${unit}`)
  if ('error' in size) return { kind: 'invalid', reason: AMOUNT_EXPECTED }
  if (size.bytes <= 0) return { kind: 'invalid', reason: 'an amount above zero' }
  return { kind: 'line', amount: size, text: `+${number}${unit}` }
}

const AMOUNT_EXPECTED =
  'a line "image-size-gate: accept +40MB" (a size such as +40MB, +1.5GiB) or "image-size-gate: accept +5%", with nothing after it'

/** The lines outside HTML comments and fenced code blocks. */
function visibleLines(body: string): string[] {
  const uncommented = body.replace(/<!--[\s\S]*?(?:-->|$)/g, '')
  const out: string[] = []
  let fence: string | undefined
  for (const line of uncommented.split(/\r\n|\r|\n/)) {
    const opener = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1]
    if (fence) {
      if (opener && opener[0] === fence[0] && opener.length >= fence.length) fence = undefined
    } else if (opener) fence = opener
    else out.push(line)
  }
  return out
}
