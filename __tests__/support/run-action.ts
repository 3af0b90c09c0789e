import { execFileSync, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { expectNoOwnDeprecations, withoutDeprecationStacks } from './deprecations.js'
import { ENGINES, ROOT } from './engines.js'
import { afterAll, afterEach, beforeEach } from '@jest/globals'
import { FAKE_TOKENS, startFakeGitHub, type FakeGitHub } from './fake-github.js'

/**
 * Runs the bundled action (`node dist/index.js`) in a child process the way the GitHub runner
 * does: inputs as INPUT_<NAME> variables (upper-cased, dashes kept), every input not given set
 * to its action.yml default, the event payload in a file, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY
 * as files. Asynchronous, so a fake GitHub API can keep serving on the test's event loop.
 */

/** The webhook event that triggered the run: GITHUB_EVENT_NAME and the GITHUB_EVENT_PATH file. */
export interface ActionEvent {
  name: string
  payload: Record<string, unknown>
}

export interface RunActionOptions {
  /** Inputs by their action.yml names; the rest get their defaults. */
  inputs?: Record<string, string>
  /** The event payload; default: pull_request #7 (see pullRequestEvent). */
  event?: ActionEvent
  /** Extra or overriding environment variables; undefined deletes one. */
  env?: Record<string, string | undefined>
  /** GITHUB_API_URL, e.g. the fake server's url. */
  api?: string
  /** false: set no INPUT_ variable beyond `inputs` (default true: action.yml's defaults). */
  defaults?: boolean
  /** Kill the child after this many milliseconds (default 60 s). */
  timeoutMs?: number
  /** The child's working directory, as the runner's GITHUB_WORKSPACE (default: the repository root). */
  cwd?: string
}

export interface ActionResult {
  code: number | null
  stdout: string
  stderr: string
  /** GITHUB_OUTPUT, parsed. */
  outputs: Record<string, string>
  /** GITHUB_STEP_SUMMARY's content. */
  summary: string
  /** Wall-clock milliseconds of the child. */
  ms: number
}

export const REPOSITORY = 'isg-org/isg-app'
export const PR_NUMBER = 7
export const BUNDLE = join(ROOT, 'dist', 'index.js')

/** A pull_request event payload with the fields the action and @actions/github read. */
export function pullRequestEvent(number = PR_NUMBER): ActionEvent {
  const [owner, name] = REPOSITORY.split('/')
  const repository = { name, full_name: REPOSITORY, owner: { login: owner } }
  return {
    name: 'pull_request',
    payload: {
      action: 'synchronize',
      number,
      pull_request: {
        number,
        head: { sha: 'b'.repeat(40), ref: 'feature', repo: repository },
        base: { sha: 'a'.repeat(40), ref: 'main', repo: repository },
      },
      repository,
    },
  }
}

export function pushEvent(): ActionEvent {
  const [owner, name] = REPOSITORY.split('/')
  return {
    name: 'push',
    payload: {
      ref: 'refs/heads/main',
      after: 'c'.repeat(40),
      repository: { name, full_name: REPOSITORY, owner: { login: owner } },
    },
  }
}

/** The action.yml defaults, as the runner evaluates them (github.token → the fake's token). */
export async function actionDefaults(): Promise<Record<string, string>> {
  const defaults = readInputDefaults(await readFile(join(ROOT, 'action.yml'), 'utf8'))
  for (const [name, value] of Object.entries(defaults)) {
    if (value === '${{ github.token }}') defaults[name] = FAKE_TOKENS.actions
  }
  return defaults
}

/**
 * The inputs of action.yml that have a default, read from the file's two-space block layout
 * (no YAML library in the project's dependencies). Inputs without one (head-image) are left
 * unset, as the runner leaves them.
 */
export function readInputDefaults(yml: string): Record<string, string> {
  const defaults: Record<string, string> = {}
  const section = /^inputs:\n([\s\S]*?)^\S/m.exec(yml)?.[1] ?? ''
  let current: string | undefined
  for (const line of section.split('\n')) {
    const name = /^ {2}([A-Za-z0-9_-]+):\s*$/.exec(line)
    if (name) {
      current = name[1]
      continue
    }
    const value = /^ {4}default:\s*(.*)$/.exec(line)
    if (value && current) defaults[current] = unquote(value[1].trim())
  }
  if (Object.keys(defaults).length === 0) throw new Error('action.yml: no inputs found')
  return defaults
}

function unquote(text: string): string {
  const quoted = /^(['"])(.*)\1$/.exec(text)
  return quoted ? quoted[2] : text
}

/** What the bundle is made from: a change to any of these makes dist/ stale. */
const BUNDLE_INPUTS = ['src', 'package.json', 'package-lock.json', 'scripts/bundle.mjs']
const BUNDLE_OUTPUTS = ['dist/index.js', 'dist/cli.js']
/** A lock older than this is left over from a killed run (a bundle takes about a second). */
const STALE_LOCK_MS = 120_000

let bundled: Promise<void> | undefined

/**
 * Rebuilds dist/ (scripts/bundle.mjs) at most once per process, and not at all when the last
 * bundle was made from the same sources and dist/ still holds it. bundle.mjs deletes dist/
 * first, so test files in concurrent Jest workers (and projects) take a lock directory in the
 * OS temp dir around the check and the build: no run reads a half-written dist/.
 */
export function ensureBundle(): Promise<void> {
  bundled ??= withBundleLock(bundleIfStale)
  return bundled
}

function bundleIfStale(stampPath: string): void {
  const inputs = hashFiles(BUNDLE_INPUTS)
  const current = () => `${inputs} ${hashFiles(BUNDLE_OUTPUTS)}`
  const stamp = existsSync(stampPath) ? readFileSync(stampPath, 'utf8') : ''
  if (BUNDLE_OUTPUTS.every((f) => existsSync(join(ROOT, f))) && stamp === current()) return
  execFileSync(process.execPath, ['scripts/bundle.mjs'], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  writeFileSync(stampPath, current())
}

/** sha256 over the paths and contents of files (directories walked, sorted), relative to ROOT. */
function hashFiles(paths: string[]): string {
  const hash = createHash('sha256')
  const visit = (path: string): void => {
    const full = join(ROOT, path)
    if (!existsSync(full)) hash.update(`missing ${path}\n`)
    else if (statSync(full).isDirectory())
      for (const entry of readdirSync(full).sort()) visit(relative(ROOT, join(full, entry)))
    else hash.update(`${path}\n`).update(readFileSync(full))
  }
  paths.forEach(visit)
  return hash.digest('hex')
}

async function withBundleLock(work: (stampPath: string) => void): Promise<void> {
  const id = createHash('sha256').update(ROOT).digest('hex').slice(0, 12)
  const lock = join(tmpdir(), `isg-bundle-${id}.lock`)
  for (;;) {
    try {
      await mkdir(lock)
      break
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'EEXIST') throw error
      const age = await stat(lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      )
      if (age > STALE_LOCK_MS) await rm(lock, { recursive: true, force: true })
      else await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
  try {
    work(join(tmpdir(), `isg-bundle-${id}.stamp`))
  } finally {
    await rm(lock, { recursive: true, force: true })
  }
}

const runDirs: string[] = []

/** Removes the temporary directories of every run so far (RUNNER_TEMP holds report-path). */
export async function removeRunDirs(): Promise<void> {
  const dirs = runDirs.splice(0)
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })))
}

export async function runAction(options: RunActionOptions = {}): Promise<ActionResult> {
  const dir = await mkdtemp(join(tmpdir(), 'isg-e2e-'))
  runDirs.push(dir)
  const event = options.event ?? pullRequestEvent()
  const paths = {
    event: join(dir, 'event.json'),
    output: join(dir, 'github_output'),
    summary: join(dir, 'step_summary'),
    temp: join(dir, 'runner_temp'),
  }
  await writeFile(paths.event, JSON.stringify(event.payload))
  await writeFile(paths.output, '')
  await writeFile(paths.summary, '')
  await mkdir(paths.temp)
  const defaults = options.defaults === false ? {} : await actionDefaults()
  const inputs = { ...defaults, ...options.inputs }
  const env: Record<string, string | undefined> = {
    ...baseEnv(),
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [inputVariable(k), v])),
    GITHUB_EVENT_NAME: event.name,
    GITHUB_EVENT_PATH: paths.event,
    GITHUB_OUTPUT: paths.output,
    GITHUB_STEP_SUMMARY: paths.summary,
    RUNNER_TEMP: paths.temp,
    // Port 9 (discard) on loopback: a run that should not call the API fails fast if it does.
    GITHUB_API_URL: options.api ?? 'http://127.0.0.1:9',
    ...options.env,
  }
  const child = await spawnNode(BUNDLE, env, options.timeoutMs ?? 60_000, options.cwd)
  return {
    ...child,
    outputs: parseOutputFile(await readFile(paths.output, 'utf8')),
    summary: await readFile(paths.summary, 'utf8'),
  }
}

/** The runner's variable for an input: spaces to underscores, upper-cased, dashes kept. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`
}

/** What a hosted runner sets besides inputs; only PATH and HOME come from this process. */
function baseEnv(): Record<string, string | undefined> {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LANG: 'C.UTF-8',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: REPOSITORY,
    GITHUB_REPOSITORY_OWNER: REPOSITORY.split('/')[0],
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_SHA: 'b'.repeat(40),
    GITHUB_REF: `refs/pull/${PR_NUMBER}/merge`,
    GITHUB_WORKFLOW: 'image size',
    GITHUB_JOB: 'size',
    GITHUB_ACTION: 'image-size-gate',
    GITHUB_ACTOR: 'octocat',
    GITHUB_RUN_ID: '1',
    GITHUB_RUN_NUMBER: '1',
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    DOCKER_HOST: ENGINES[0].host,
  }
}

async function spawnNode(
  script: string,
  env: Record<string, string | undefined>,
  timeoutMs: number,
  cwd = ROOT,
): Promise<Pick<ActionResult, 'code' | 'stdout' | 'stderr' | 'ms'>> {
  const started = Date.now()
  const defined = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined))
  // The Node that runs the tests (Node 20 or 24, see scripts/test-node24.mjs), with the stack of
  // every deprecation warning: one from the project's own code fails the run.
  const child = spawn(process.execPath, ['--trace-deprecation', script], {
    cwd,
    env: defined as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject)
      child.on('close', (exitCode) => resolve(exitCode))
    })
    expectNoOwnDeprecations(stderr, `node ${relative(ROOT, script)}`)
    return { code, stdout, stderr: withoutDeprecationStacks(stderr), ms: Date.now() - started }
  } finally {
    clearTimeout(timer)
  }
}

/**
 * GITHUB_OUTPUT as @actions/core writes it: `name<<ghadelimiter_<uuid>` NL value NL delimiter.
 * The older `name=value` form is read too.
 */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line)
    if (heredoc) {
      const [, name, delimiter] = heredoc
      const end = lines.indexOf(delimiter, i + 1)
      if (end < 0) throw new Error(`GITHUB_OUTPUT: no closing ${delimiter} for ${name}`)
      outputs[name] = lines.slice(i + 1, end).join('\n')
      i = end
    } else if (line.includes('=')) {
      outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1)
    }
  }
  return outputs
}

/** The `::command::` lines of a run's stdout, message data unescaped (%0A → newline). */
export function workflowCommands(stdout: string, command: string): string[] {
  const prefix = new RegExp(`^::${command}(?: [^:]*)?::`)
  return stdout
    .split('\n')
    .filter((line) => prefix.test(line))
    .map((line) =>
      line
        .replace(prefix, '')
        .replace(/%0D/g, '\r')
        .replace(/%0A/g, '\n')
        .replace(/%3A/g, ':')
        .replace(/%2C/g, ',')
        .replace(/%25/g, '%'),
    )
}

/**
 * A fresh loopback GitHub API for every test of the calling file, handed over through `set`;
 * closed after each test, and the run folders removed after the file.
 */
export function useFakeGitHub(set: (fake: FakeGitHub) => void): void {
  let current: FakeGitHub | undefined
  beforeEach(async () => {
    current = await startFakeGitHub()
    set(current)
  })
  afterEach(async () => {
    await current?.close()
  })
  afterAll(async () => {
    await removeRunDirs()
  })
}
