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
  return `Input "${input}" has the value ${JSON.stringify(value)}; expected ${expected}.`
}

/** The command line's wording: the same sentence, about its --option. */
export function optionProblemText({ input, value, expected }: InputProblem): string {
  return `Option --${input} has the value ${JSON.stringify(value)}; expected ${expected}.`
}

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
