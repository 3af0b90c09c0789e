/**
 * How image building runs docker and git: a function handed in by the caller, so this folder
 * stays free of the Actions toolkit (the action passes its exec adapter,
 * src/action/run-command.ts) and tests can run real processes their own way.
 */
export interface CommandOptions {
  cwd: string
  /** Variables added to (and overriding) this process's environment, e.g. DOCKER_HOST. */
  env?: Record<string, string>
  /** Called for every output line of stdout and stderr, in the order they arrive. */
  onLine?: (line: string) => void
}

export interface CommandResult {
  exitCode: number
  stdout: string
  stderr: string
}

/** Runs `tool` with `args`; a tool that cannot be started is a UserError. */
export type CommandRunner = (
  tool: string,
  args: string[],
  options: CommandOptions,
) => Promise<CommandResult>
