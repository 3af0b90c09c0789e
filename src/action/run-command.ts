// An adapter at the edge (STYLE.md): the one place image building runs docker and git.
import { getExecOutput } from '@actions/exec'
import { StringDecoder } from 'node:string_decoder'
import type { CommandOptions, CommandResult } from '../image-build/command-runner.js'
import { UserError, errorMessage } from '../util/errors.js'

/**
 * Runs a tool silently, handing each output line to `onLine`. Lines are split here rather than
 * with exec's `stdline`/`errline` listeners: those drop a last line without a newline (the
 * tool runner emits it as an event on itself, not to the listener) and split UTF-8 characters
 * that straddle two chunks. A tool that cannot be started is a UserError.
 */
export async function runCommand(
  tool: string,
  args: string[],
  options: CommandOptions,
): Promise<CommandResult> {
  const onLine = options.onLine ?? (() => {})
  const out = new LineSplitter(onLine)
  const err = new LineSplitter(onLine)
  try {
    const result = await getExecOutput(tool, args, {
      cwd: options.cwd,
      env: mergeEnv(options.env),
      silent: true,
      ignoreReturnCode: true,
      listeners: { stdout: (data) => out.write(data), stderr: (data) => err.write(data) },
    })
    return result
  } catch (error) {
    throw new UserError(`Could not run ${tool} ${args[0] ?? ''}: ${errorMessage(error)}`, {
      cause: error,
    })
  } finally {
    out.end()
    err.end()
  }
}

/** exec replaces the whole environment when given one; keep PATH, HOME and the rest. */
function mergeEnv(extra: Record<string, string> | undefined): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value
  return { ...env, ...extra }
}

/** Bytes in, whole lines out; `\r` (progress redraws) ends a line too; blank lines are dropped. */
class LineSplitter {
  private readonly decoder = new StringDecoder('utf8')
  private pending = ''

  constructor(private readonly onLine: (line: string) => void) {}

  write(data: Buffer): void {
    const lines = (this.pending + this.decoder.write(data)).split(/\r\n|\r|\n/)
    this.pending = lines.pop() ?? ''
    for (const line of lines) this.emit(line)
  }

  end(): void {
    this.emit(this.pending + this.decoder.end())
    this.pending = ''
  }

  private emit(line: string): void {
    if (line.trim().length > 0) this.onLine(line.trimEnd())
  }
}
