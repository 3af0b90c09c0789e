/**
 * The logger domain code writes to. The action passes one backed by @actions/core, the CLI one
 * backed by stderr, tests a recording one. Domain code never imports @actions/*.
 */
export interface Logger {
  debug(message: string): void
  info(message: string): void
  warning(message: string): void
}

export const silentLogger: Logger = { debug() {}, info() {}, warning() {} }
