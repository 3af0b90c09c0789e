/**
 * Errors the user can act on. `main` and the CLI print `message` as one line, without a stack
 * trace, and exit 1. Anything else is a bug and keeps its stack.
 */
export class UserError extends Error {
  override name = 'UserError'
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
  }
}

/** One bad input value, as data: each front end words it (the action, the CLI). */
export interface InputProblem {
  /** The input's name as in action.yml; the CLI's --flag of the same name */
  input: string
  /** The value exactly as written */
  value: string
  /** What was expected instead, a phrase ending without a full stop */
  expected: string
}

/** The action's wording of a bad input. */
export function inputProblemText({ input, value, expected }: InputProblem): string {
  return `Input "${input}" has the value ${quoteValue(value)}; expected ${oneLine(expected)}.`
}

/** The command line's wording: the same sentence, about its --option. */
export function optionProblemText({ input, value, expected }: InputProblem): string {
  return `Option --${input} has the value ${quoteValue(value)}; expected ${oneLine(expected)}.`
}

/** Longest part of a value quoted in a problem line (characters); the rest is counted. */
export const QUOTED_VALUE_MAX = 120
/** Longest `expected` phrase in a problem line (it may quote the value again, or another input). */
const EXPECTED_MAX = 400

/**
 * A value as a problem line quotes it: JSON-escaped (so control characters and newlines stay
 * visible and on one line), and cut after QUOTED_VALUE_MAX characters with its length said.
 */
export function quoteValue(value: string): string {
  const cut = value.length > QUOTED_VALUE_MAX
  const quoted = escapeRest(JSON.stringify(cut ? value.slice(0, QUOTED_VALUE_MAX) : value))
  return cut ? `${quoted}… (${value.length} characters)` : quoted
}

/** Text with control characters escaped as JSON does, cut after `max` characters. */
export function oneLine(text: string, max = EXPECTED_MAX): string {
  const escaped = escapeRest(
    // eslint-disable-next-line no-control-regex
    text.replace(/[\u0000-\u001f]/g, (c) => JSON.stringify(c).slice(1, -1)),
  )
  return escaped.length <= max ? escaped : `${escaped.slice(0, max)}…`
}

/** DEL and the Unicode line and paragraph separators, which JSON leaves as they are. */
const escapeRest = (text: string) =>
  text.replace(
    /[\u007f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )

/** Bad input values; every problem is listed. `message` words them as the action does. */
export class InputError extends UserError {
  override name = 'InputError'
  constructor(readonly inputs: readonly InputProblem[]) {
    super(inputs.map(inputProblemText).join('\n'))
  }

  /** One line per problem, in the action's wording. */
  get problems(): string[] {
    return this.inputs.map(inputProblemText)
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
