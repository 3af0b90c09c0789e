import { runGate } from '../gate.js'
import { parseOptions, type RawOptions } from '../options.js'
import { renderComment } from '../render/comment.js'
import { renderTerminal } from '../render/terminal.js'
import { toJsonReport } from '../report/json-report.js'
import { InputError, optionProblemText, UserError } from '../util/errors.js'
import type { Logger } from '../util/log.js'
import { VERSION } from '../version.js'
import { ArgumentError, checkCommand, parseArguments } from './arguments.js'

export const USAGE = `Usage: image-size-gate compare BASE HEAD [options]

Compares two container images layer by layer. BASE may be "none" (no baseline).
References: app:tag (Docker engine, pulled when missing), docker-daemon:REF (engine only),
docker://REF (registry), docker-archive:PATH, oci-archive:PATH, oci:DIR[:REF].

Options (the action's inputs):
  --max-size SIZE        fail above this size (500MB, 1.5GB, 300MiB)
  --warn-size SIZE       warn above this size
  --max-increase LIMIT   fail when grown by more than SIZE, PERCENT% or both (20MB,5%)
  --warn-increase LIMIT  warn when grown by more than this
  --max-layers N         fail above N layers
  --size-basis BASIS     uncompressed (default) or compressed
  --platforms LIST       compare these platforms (linux/amd64,linux/arm64), one entry each
  --insecure-registries LIST   registries to reach over plain HTTP (loopback always is)
  --base-missing WHAT    no-baseline (default: compare without one) or fail (an error, exit 3)
  --registry-username U  --registry-password P   registry credentials
  --registry HOST        the one registry they are for (default: the images' only registry)
  --format FORMAT        text (default), markdown or json
  -h, --help             this help;  -v, --version

Exit codes: 0 within budget (or warnings), 1 budget exceeded, 2 bad usage, 3 could not compare.
`

const FORMATS = ['text', 'markdown', 'json'] as const

export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
}

/** Runs the CLI; returns the exit code. Never calls process.exit. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
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
      'max-size': { type: 'string' },
      'warn-size': { type: 'string' },
      'max-increase': { type: 'string' },
      'warn-increase': { type: 'string' },
      'max-layers': { type: 'string' },
      'size-basis': { type: 'string' },
      registry: { type: 'string' },
      'registry-username': { type: 'string' },
      'registry-password': { type: 'string' },
      platforms: { type: 'string' },
      'insecure-registries': { type: 'string' },
      'base-missing': { type: 'string' },
      format: { type: 'string', default: 'text' },
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
