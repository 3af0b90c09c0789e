/**
 * Docker credential helpers (`docker-credential-<name>`), run as the CLI runs them: `get` with
 * the server URL on stdin, JSON `{ServerURL, Username, Secret}` on stdout. A Username of
 * `<token>` means the Secret is an identity token (OAuth2 refresh token).
 * https://github.com/docker/docker-credential-helpers#development
 */
import { spawn } from 'node:child_process'
import { UserError } from '../../util/errors.js'
import { isRecord } from '../../util/json-check.js'

export interface HelperAnswer {
  username: string
  secret: string
  /** Username was `<token>`: the secret is an identity token */
  identityToken: boolean
}

export interface HelperOptions {
  /** Kill the helper after this many milliseconds; default 10 s */
  timeoutMs?: number
}

export const HELPER_TIMEOUT_MS = 10_000
/** More than any helper prints for one login */
const OUTPUT_LIMIT = 64 * 1024
/** What the helpers print when they hold nothing for the server (docker-credential-helpers) */
const NOT_FOUND = /credentials not found/i

interface Finished {
  code: number | null
  stdout: string
  stderr: string
  timedOut: boolean
  spawnError?: NodeJS.ErrnoException
}

/**
 * The helper's login for `serverUrl`; undefined when it has none ("credentials not found in
 * native keychain"). Any other failure is a `UserError` naming the helper and why.
 */
export async function runCredentialHelper(
  name: string,
  serverUrl: string,
  options: HelperOptions = {},
): Promise<HelperAnswer | undefined> {
  const program = `docker-credential-${name}`
  const timeoutMs = options.timeoutMs ?? HELPER_TIMEOUT_MS
  const fail = (why: string) =>
    new UserError(`The Docker credential helper ${program} failed for ${serverUrl}: ${why}`)
  // A name, looked up on PATH; never a path to run from wherever the config points
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) throw fail('its name is not a helper name')
  const run = await runGet(program, serverUrl, timeoutMs)
  if (run.spawnError) {
    throw fail(
      run.spawnError.code === 'ENOENT'
        ? `${program} is not on PATH; install it, or remove it from the Docker config`
        : run.spawnError.message,
    )
  }
  if (run.timedOut) throw fail(`no answer within ${timeoutMs / 1000} s, so it was stopped`)
  if (run.code !== 0) {
    if (NOT_FOUND.test(run.stdout) || NOT_FOUND.test(run.stderr)) return undefined
    const said = firstLine(run.stderr) || firstLine(run.stdout)
    throw fail(`exit code ${run.code}${said ? `: ${said}` : ''}`)
  }
  return parseAnswer(run.stdout, fail)
}

function parseAnswer(stdout: string, fail: (why: string) => UserError): HelperAnswer {
  let parsed: unknown
  try {
    parsed = JSON.parse(stdout)
  } catch {
    throw fail('its answer is not JSON')
  }
  const { Username, Secret } = isRecord(parsed) ? parsed : {}
  if (typeof Username !== 'string' || typeof Secret !== 'string') {
    throw fail('its answer has no Username and Secret strings')
  }
  return { username: Username, secret: Secret, identityToken: Username === '<token>' }
}

/** One line, capped: enough to say why, never a wall of text in a one-line error. */
function firstLine(text: string): string {
  const line = text.trim().split('\n')[0]?.trim() ?? ''
  return line.length > 200 ? `${line.slice(0, 200)}…` : line
}

/**
 * Runs `program get` in its own process group, so a helper that hangs is killed together with
 * whatever it started (their open pipes would otherwise keep us waiting).
 */
function runGet(program: string, serverUrl: string, timeoutMs: number): Promise<Finished> {
  return new Promise((resolve) => {
    const child = spawn(program, ['get'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
      env: process.env, // looked up on this PATH (explicit: test runners sandbox process.env)
    })
    const result: Finished = { code: null, stdout: '', stderr: '', timedOut: false }
    const collect = (key: 'stdout' | 'stderr') => (chunk: Buffer) => {
      if (result[key].length < OUTPUT_LIMIT) result[key] += chunk.toString('utf8')
    }
    child.stdout.on('data', collect('stdout'))
    child.stderr.on('data', collect('stderr'))
    const timer = setTimeout(() => {
      result.timedOut = true
      killGroup(child.pid)
    }, timeoutMs)
    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer)
      resolve({ ...result, spawnError: error })
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ ...result, code })
    })
    child.stdin.on('error', () => undefined) // a helper that exits without reading stdin
    child.stdin.end(serverUrl)
  })
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return
  try {
    process.kill(-pid, 'SIGKILL')
  } catch {
    // already gone
  }
}
