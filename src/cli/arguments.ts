import { parseArgs, type ParseArgsConfig } from 'node:util'
import { UserError } from '../util/errors.js'

/**
 * The command line's own error sentences. `parseArgs` in strict mode throws texts such as
 * "Unknown option '--nope'. To specify a positional argument starting with a '-', place it at
 * the end of the command after '--', as in '-- "--nope"" (code ERR_PARSE_ARGS_UNKNOWN_OPTION);
 * this module finds the same mistakes in parseArgs' tokens first and words them itself.
 */

type OptionSpecs = NonNullable<ParseArgsConfig['options']>

/** Mistakes on the command line (exit 2); every one is listed, one line each. */
export class ArgumentError extends UserError {
  override name = 'ArgumentError'
  constructor(
    readonly problems: string[],
    options?: { cause?: unknown },
  ) {
    super(problems.join('\n'), options)
  }
}

/**
 * `parseArgs(config)` in strict mode, with the tool's own sentences for every mistake. A switch
 * (a boolean option: --help, --version) wins over mistakes elsewhere on the line, so that
 * `image-size-gate compare --nope --help` still shows the help.
 */
export function parseArguments<T extends ParseArgsConfig & { options: OptionSpecs }>(
  config: T,
): ReturnType<typeof parseArgs<T>> {
  const args = config.args ?? []
  const { problems, switches } = findOptionProblems(args, config.options)
  if (switches.length > 0 && problems.length > 0) {
    const lenient: ParseArgsConfig = { ...config, strict: false }
    return parseArgs(lenient) as unknown as ReturnType<typeof parseArgs<T>>
  }
  if (problems.length > 0) throw new ArgumentError(problems)
  try {
    return parseArgs(config) // strict: parseArgs' default
  } catch (error) {
    // A mistake findOptionProblems does not know: still no parseArgs text (its code stays as the cause).
    throw new ArgumentError([`cannot read the arguments ${JSON.stringify(args.join(' '))}`], {
      cause: error,
    })
  }
}

/**
 * Every option mistake in `argv`, one sentence each, in the order they appear: unknown options
 * (with the closest known one), options without their value, values given to switches.
 * Accepts exactly what `parseArgs({ strict: true, allowPositionals: true })` accepts.
 */
export function findOptionProblems(
  argv: readonly string[],
  options: OptionSpecs,
): { problems: string[]; switches: string[] } {
  const { tokens } = parseArgs({
    args: [...argv],
    options,
    allowPositionals: true,
    strict: false,
    tokens: true,
  })
  const problems: string[] = []
  const switches: string[] = []
  for (const token of tokens) {
    if (token.kind !== 'option') continue
    const spec = Object.hasOwn(options, token.name) ? options[token.name] : undefined
    const problem = !spec
      ? unknownOption(token.rawName, Object.keys(options))
      : spec.type === 'boolean'
        ? token.value !== undefined &&
          `option ${token.rawName} takes no value (got "${token.value}")`
        : missingValue(token.rawName, token.value, token.inlineValue)
    if (problem) problems.push(problem)
    else if (spec?.type === 'boolean') switches.push(token.name)
  }
  return { problems, switches }
}

function unknownOption(rawName: string, known: string[]): string {
  const guess = rawName.startsWith('--') ? closest(rawName.slice(2), known) : undefined
  return `unknown option ${rawName}${guess ? `; did you mean --${guess}?` : ''}`
}

/** parseArgs takes the next argument as the value even when it is another option. */
function missingValue(
  rawName: string,
  value: string | undefined,
  inline: boolean | undefined,
): string | false {
  if (value === undefined) return `option ${rawName} needs a value`
  if (!inline && value.length > 1 && value.startsWith('-'))
    return `option ${rawName} needs a value, but "${value}" follows it (write ${rawName}=${value} if that is the value)`
  return false
}

/** The known name a mistyped one most likely meant: a prefix of it, or at most 2 edits away. */
export function closest(name: string, known: string[]): string | undefined {
  const prefixed = known.filter((k) => name.length >= 3 && k.startsWith(name))
  if (prefixed.length === 1) return prefixed[0]
  let best: { name: string; distance: number } | undefined
  for (const candidate of known) {
    const distance = editDistance(name, candidate)
    if (distance <= 2 && (!best || distance < best.distance)) best = { name: candidate, distance }
  }
  return best?.name
}

/** Levenshtein distance, one row at a time. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1)
      row.push(Math.min(previous[j] + 1, row[j - 1] + 1, substitution))
    }
    previous = row
  }
  return previous[b.length]
}

/** The command and its two images, or the sentence that says what is wrong with them. */
export function checkCommand(positionals: string[]): { base: string; head: string } {
  const [command, ...images] = positionals
  if (command === undefined)
    throw new ArgumentError(['no command given; usage: image-size-gate compare BASE HEAD'])
  if (command !== 'compare')
    throw new ArgumentError([
      `unknown command "${command}"; the commands are compare (image-size-gate compare BASE HEAD) and history (image-size-gate history OWNER/REPO)`,
    ])
  const [base, head, ...extra] = images
  if (head === undefined)
    throw new ArgumentError([
      `compare needs two images, BASE and HEAD; got ${base === undefined ? 'none' : `only "${base}"`} (BASE may be "none")`,
    ])
  if (extra.length > 0)
    throw new ArgumentError([
      `unexpected argument "${extra[0]}": compare takes two images, BASE and HEAD${extra.length > 1 ? ` (${extra.length} extra arguments)` : ''}`,
    ])
  return { base, head }
}
