import type { BuildTime } from '../model/build-time.js'
import type { Logger } from '../util/log.js'
import { errorMessage, UserError } from '../util/errors.js'
import { buildCommandArgs, type BuildSpec } from './build-spec.js'
import { cacheNeedsBuildx, showCacheEntry } from './cache-entries.js'
import type { CommandRunner } from './command-runner.js'
import { StepCounter } from './count-steps.js'

export interface BuildImageOptions {
  /** The repository root the spec's paths are relative to. */
  cwd: string
  tag: string
  log: Logger
  /** Extra environment for docker, e.g. `{ DOCKER_HOST }`. */
  env?: Record<string, string>
  /** Runs docker (the action passes its exec adapter) */
  runCommand: CommandRunner
  /** Whether `docker buildx` answers, when the caller already knows (see prepareBuilder) */
  buildx?: boolean
}

/** `time`: how long the build took, and its steps (absent only from test fakes) */
export type BuildResult =
  { ok: true; tag: string; time?: BuildTime } | { ok: false; logTail: string[]; time?: BuildTime }

/** How many of the last output lines a failed build keeps. */
export const LOG_TAIL_LINES = 20

/**
 * Builds one image, streaming docker's output to `log.info` line by line. Uses
 * `docker buildx build --load` when the buildx plugin answers, otherwise the classic builder
 * (DOCKER_BUILDKIT=0: without buildx a 23+ client refuses a BuildKit build).
 */
export async function buildImage(
  spec: BuildSpec,
  options: BuildImageOptions,
): Promise<BuildResult> {
  const buildx = options.buildx ?? (await prepareBuilder(spec, options)).buildx
  const env = buildx ? options.env : { ...options.env, DOCKER_BUILDKIT: '0' }
  if (!buildx) await pullCacheImages(spec, options)
  const args = buildx
    ? ['buildx', 'build', '--load', '--progress', 'plain', ...buildCommandArgs(spec, options.tag)]
    : ['build', '--force-rm', ...buildCommandArgs(spec, options.tag)]
  options.log.info(`docker ${showArgs(args)}`)
  const tail: string[] = []
  const steps = new StepCounter()
  const started = Date.now()
  const result = await options.runCommand('docker', args, {
    cwd: options.cwd,
    env,
    onLine: (line) => {
      options.log.info(line)
      steps.add(line)
      tail.push(line)
      if (tail.length > LOG_TAIL_LINES) tail.shift()
    },
  })
  const time: BuildTime = { seconds: (Date.now() - started) / 1000, ...steps.counts() }
  const counted =
    time.steps === undefined ? '' : `, ${time.cachedSteps} of ${time.steps} steps cached`
  options.log.info(`Built ${options.tag} in ${time.seconds.toFixed(1)} s${counted}`)
  return result.exitCode === 0
    ? { ok: true, tag: options.tag, time }
    : { ok: false, logTail: tail, time: { ...time, failed: true } }
}

/** The command line for the log: cache credentials (e.g. `token=` of type=gha) as `***`. */
function showArgs(args: string[]): string {
  return args
    .map((arg, i) => (/^--cache-(from|to)$/.test(args[i - 1] ?? '') ? showCacheEntry(arg) : arg))
    .join(' ')
}

/**
 * Which builder the builds use: buildx when it answers, else the classic builder. Throws a
 * UserError, before anything is built, when the cache inputs need buildx and it is missing.
 */
export async function prepareBuilder(
  spec: BuildSpec,
  options: { cwd: string; env?: Record<string, string>; runCommand: CommandRunner },
): Promise<{ buildx: boolean }> {
  const buildx = await isBuildxAvailable(options)
  const missing = buildx
    ? null
    : cacheNeedsBuildx({ from: spec.cacheFrom ?? [], to: spec.cacheTo ?? [] })
  if (missing) throw new UserError(missing)
  return { buildx }
}

/**
 * The classic builder reads `--cache-from` images only from the engine (BuildKit fetches them
 * itself), so the ones it lacks are pulled first. Best effort, as BuildKit treats a cache it
 * cannot read: a warning, and the build goes on without it.
 */
async function pullCacheImages(spec: BuildSpec, options: BuildImageOptions): Promise<void> {
  for (const entry of spec.cacheFrom ?? []) {
    const run = (args: string[]) =>
      options.runCommand('docker', args, { cwd: options.cwd, env: options.env })
    if ((await run(['image', 'inspect', '--format', '{{.Id}}', entry.text])).exitCode === 0)
      continue
    options.log.info(`Pulling the cache image ${entry.text}`)
    const pull = await run(['pull', entry.text])
    if (pull.exitCode !== 0) {
      options.log.warning(
        `cache-from: could not pull ${entry.text}, building without it: ${firstLine(pull.stderr)}`,
      )
    }
  }
}

/** Probe: does `docker buildx version` succeed with this environment? */
export async function isBuildxAvailable(options: {
  cwd: string
  env?: Record<string, string>
  runCommand: CommandRunner
}): Promise<boolean> {
  const { runCommand, ...commandOptions } = options
  const result = await runCommand('docker', ['buildx', 'version'], commandOptions)
  return result.exitCode === 0
}

/**
 * The line of a failed build's output that says what went wrong: docker's own summary (classic:
 * "The command ... returned a non-zero code"; BuildKit: "ERROR: ..."), else the first line that
 * mentions an error, else the last line. One line, at most 300 characters.
 */
export function summarizeBuildFailure(logTail: string[]): string {
  const summary =
    logTail.find((line) => /returned a non-zero code|^\s*ERROR\b|failed to solve/.test(line)) ??
    logTail.find((line) => /\b(error|failed|no such|not found|denied)\b/i.test(line)) ??
    logTail.at(-1) ??
    'no output'
  const line = summary.replace(/\s+/g, ' ').trim()
  return line.length > 300 ? `${line.slice(0, 299)}…` : line
}

/** Removes the images a run built. Best effort: never throws, warns about what stays. */
export async function cleanupBuiltImages(
  tags: string[],
  options: { log: Logger; env?: Record<string, string>; runCommand: CommandRunner },
): Promise<void> {
  for (const tag of tags) {
    try {
      const result = await options.runCommand('docker', ['rmi', tag], {
        cwd: process.cwd(),
        env: options.env,
      })
      if (result.exitCode === 0) options.log.debug(`Removed ${tag}`)
      else if (/no such image/i.test(result.stderr)) options.log.debug(`${tag} was already gone`)
      else options.log.warning(`Could not remove the image ${tag}: ${firstLine(result.stderr)}`)
    } catch (error) {
      options.log.warning(`Could not remove the image ${tag}: ${errorMessage(error)}`)
    }
  }
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? ''
}
