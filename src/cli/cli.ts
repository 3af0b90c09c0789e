import { runGate } from '../gate.js'
import { parseOptions, type RawOptions } from '../options.js'
import { renderComment } from '../render/comment.js'
import { renderTerminal } from '../render/terminal.js'
import { toJsonReport } from '../report/json-report.js'
import { InputError, optionProblemText, UserError } from '../util/errors.js'
import type { Logger } from '../util/log.js'
import { VERSION } from '../version.js'
import { INPUTS, INPUT_NAMES, type InputName } from '../inputs-table.js'
import { ArgumentError, checkCommand, parseArguments } from './arguments.js'
import { runHistoryCommand } from './history-command.js'

/** The option lines of --help, in this order; names on one line share the last one's help. */
const HELP_LINES: Array<Array<CliOptionName>> = [
  ['max-size'],
  ['warn-size'],
  ['max-increase'],
  ['warn-increase'],
  ['max-layers'],
  ['max-drift'],
  ['warn-drift'],
  ['file-analysis'],
  ['max-reclaimable'],
  ['max-reclaimable-increase'],
  ['min-efficiency'],
  ['max-wasted-bytes'],
  ['max-wasted-user-percent'],
  ['dive-ci'],
  ['secrets'],
  ['size-basis'],
  ['platforms'],
  ['insecure-registries'],
  ['base-missing'],
  ['registry-username', 'registry-password'],
  ['registry'],
  ['format'],
]

export const USAGE = `Usage: image-size-gate compare BASE HEAD [options]
       image-size-gate history OWNER/REPO [options]   (image-size-gate history -h)

Compares two container images layer by layer. BASE may be "none" (no baseline).
References: app:tag (Docker engine, pulled when missing), docker-daemon:REF (engine only),
docker://REF (registry), docker-archive:PATH, oci-archive:PATH, oci:DIR[:REF].

Options (the action's inputs):
${HELP_LINES.map(helpLine).join('\n')}
  -h, --help             this help;  -v, --version

Exit codes: 0 within budget (or warnings), 1 budget exceeded, 2 bad usage, 3 could not compare.
`

const FORMATS = ['text', 'markdown', 'json'] as const

/** Inputs the CLI takes as --NAME VALUE (the images are its positionals BASE and HEAD). */
type CliOptionName = {
  [K in InputName]: (typeof INPUTS)[K] extends { cli: { value: string } } ? K : never
}[InputName]
export const CLI_OPTIONS = INPUT_NAMES.filter(
  (name): name is CliOptionName => 'value' in ((INPUTS[name] as { cli?: object }).cli ?? {}),
)

export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  /** The environment `history` reads its token and API root from; default process.env */
  env?: NodeJS.ProcessEnv
}

/** Runs the CLI; returns the exit code. Never calls process.exit. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  if (argv[0] === 'history')
    return runHistoryCommand(argv.slice(1), { ...io, env: io.env ?? process.env })
  let parsed
  try {
    parsed = parseCommand(argv)
  } catch (error) {
    if (!(error instanceof InputError || error instanceof ArgumentError)) throw error
    const lines = error instanceof InputError ? error.inputs.map(optionProblemText) : error.problems
    io.stderr(`${lines.map((line) => `image-size-gate: ${line}`).join('\n')}\n`)
    if (error instanceof ArgumentError) io.stderr(HELP_POINTER)
    return 2
  }
  if (parsed === 'help') return (io.stdout(USAGE), 0)
  if (parsed === 'version') return (io.stdout(`${VERSION}\n`), 0)
  const log: Logger = {
    debug() {},
    info: (m) => io.stderr(`${m}\n`),
    warning: (m) => io.stderr(`warning: ${m}\n`),
    mask() {}, // a terminal has no log to mask; nothing secret is printed
  }
  try {
    const report = await runGate(parsed.options, { log })
    const output =
      parsed.format === 'json'
        ? `${JSON.stringify(toJsonReport(report, VERSION), null, 2)}\n`
        : parsed.format === 'markdown'
          ? renderComment(report, { fullReportHint: 'The full report: --format text or json.' })
          : renderTerminal(report)
    io.stdout(output)
    return report.verdict === 'fail' ? 1 : 0
  } catch (error) {
    if (!(error instanceof UserError)) throw error
    io.stderr(`image-size-gate: ${error.message}\n`)
    return 3
  }
}

function parseCommand(argv: string[]) {
  const { values, positionals } = parseArguments({
    args: argv,
    allowPositionals: true,
    options: {
      ...cliValueOptions(),
      format: { type: 'string', default: INPUTS.format.default },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  })
  if (values.help) return 'help' as const
  if (values.version) return 'version' as const
  const { base, head } = checkCommand(positionals)
  const format = values.format as (typeof FORMATS)[number]
  if (!FORMATS.includes(format))
    throw new InputError([
      { input: 'format', value: values.format ?? '', expected: 'text, markdown or json' },
    ])
  const { format: _f, help: _h, version: _v, ...budget } = values
  const raw: RawOptions = {
    ...budget,
    'base-image': base === 'none' ? '' : base,
    'head-image': head,
  }
  return { options: parseOptions(raw), format }
}

const HELP_POINTER = 'Run "image-size-gate --help" for the options.\n'

/** The options the CLI takes as --NAME VALUE: every input of the table with a value name. */
function cliValueOptions(): Record<CliOptionName, { type: 'string' }> {
  return Object.fromEntries(CLI_OPTIONS.map((name) => [name, { type: 'string' }])) as Record<
    CliOptionName,
    { type: 'string' }
  >
}

/** `  --max-size SIZE        fail above …`: the help in column 26, or 3 spaces after a longer name. */
function helpLine(names: CliOptionName[]): string {
  const usage = names.map((name) => `--${name} ${INPUTS[name].cli.value}`).join('  ')
  const last: { value: string; help?: string } = INPUTS[names[names.length - 1]].cli
  const help = last.help ?? ''
  return `  ${usage.length <= 21 ? usage.padEnd(23) : `${usage}   `}${help}`
}
