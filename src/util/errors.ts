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

/** Bad input values; every problem is listed, one line each. */
export class InputError extends UserError {
  override name = 'InputError'
  constructor(readonly problems: string[]) {
    super(problems.join('\n'))
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
