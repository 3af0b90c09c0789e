/**
 * The logger domain code writes to. The action passes one backed by @actions/core, the CLI one
 * backed by stderr, tests a recording one. Domain code never imports @actions/*.
 */
export interface Logger {
  debug(message: string): void
  info(message: string): void
  warning(message: string): void
  /**
   * Keeps a secret out of the log from now on (the action: `core.setSecret`, which the runner
   * replaces with `***`). Called for every password, token and helper answer the tool reads.
   * Optional: a CLI or test logger that prints nothing secret may leave it out.
   */
  mask?(secret: string): void
}

export const silentLogger: Logger = { debug() {}, info() {}, warning() {} }

/** Masks each non-empty value; the runner masks short values too, so nothing is skipped. */
export function maskSecrets(log: Logger | undefined, ...secrets: Array<string | undefined>): void {
  for (const secret of secrets) if (secret) log?.mask?.(secret)
}
