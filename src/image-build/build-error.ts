import { UserError } from '../util/errors.js'

/**
 * The pull request's own image did not build. `message` is one line; the last lines of the
 * build output (already streamed to the log) are kept for the summary or the CLI.
 */
export class BuildError extends UserError {
  override name = 'BuildError'
  constructor(
    message: string,
    readonly logTail: string[],
  ) {
    super(message)
  }
}
