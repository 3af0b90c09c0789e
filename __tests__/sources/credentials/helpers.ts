import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { getManifest } from '../../support/registry-tools.js'

/**
 * Fake `docker-credential-*` helpers: real executables in a temporary bin folder, speaking the
 * helper protocol (server URL on stdin, JSON on stdout). Each appends what it was asked to a log.
 */
export interface FakeHelpers {
  bin: string
  /** Server URLs the helpers were asked for, `name server` per line */
  asked(): string[]
  /** The pids the hanging helper wrote (itself and its child) */
  hangPids(): number[]
  remove(): void
}

export const HELPER_SECRET = 'isg-helper-secret-7'
export const HELPER_TOKEN = 'isg-helper-identity-token-9'

/** `good` knows `logins` (server → "user:secret"); the others fail in their own way. */
export function makeHelpers(logins: Record<string, string>): FakeHelpers {
  const bin = mkdtempSync(join(tmpdir(), 'isg-creds-bin-'))
  const log = join(bin, 'asked.log')
  const pids = join(bin, 'hang.pids')
  writeFileSync(log, '')
  const cases = Object.entries(logins)
    .map(([server, login]) => {
      const [user, secret] = [
        login.slice(0, login.indexOf(':')),
        login.slice(login.indexOf(':') + 1),
      ]
      return `  '${server}') printf '{"ServerURL":"%s","Username":"%s","Secret":"%s"}' "$server" '${user}' '${secret}' ;;`
    })
    .join('\n')
  const script = (name: string, body: string) => {
    const path = join(bin, `docker-credential-${name}`)
    writeFileSync(
      path,
      `#!/bin/sh\n[ "$1" = get ] || exit 3\nserver=$(cat)\necho "${name} $server" >> '${log}'\n${body}\n`,
    )
    chmodSync(path, 0o755)
  }
  script(
    'isg-good',
    `case "$server" in\n${cases}\n  *) echo 'credentials not found in native keychain'; exit 1 ;;\nesac`,
  )
  script(
    'isg-token',
    `printf '{"ServerURL":"%s","Username":"<token>","Secret":"${HELPER_TOKEN}"}' "$server"`,
  )
  script(
    'isg-fail',
    `echo 'error getting credentials - err: exit status 255, out: session expired' >&2\nexit 1`,
  )
  script('isg-hang', `sleep 60 &\necho "$$ $!" > '${pids}'\nwait`)
  script('isg-garbage', `echo 'this is not json'`)
  return {
    bin,
    asked: () => readFileSync(log, 'utf8').split('\n').filter(Boolean),
    hangPids: () => readFileSync(pids, 'utf8').trim().split(' ').map(Number),
    remove: () => rmSync(bin, { recursive: true, force: true }),
  }
}

/**
 * Whether a process still runs: it exists (signal 0 only checks) and is not a zombie waiting
 * for a parent that may never reap it (a container's init often does not).
 */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : ''
  return !/^\d+ \(.*\) Z/.test(stat)
}

/** Removes a tag's manifest from a testbed registry (delete is enabled there). */
export async function deleteTag(
  registry: string,
  repository: string,
  tag: string,
  auth?: { user: string; pass: string },
): Promise<void> {
  const { digest } = await getManifest(registry, repository, tag, auth)
  const authorization = auth
    ? { authorization: `Basic ${Buffer.from(`${auth.user}:${auth.pass}`).toString('base64')}` }
    : undefined
  const response = await fetch(`http://${registry}/v2/${repository}/manifests/${digest}`, {
    method: 'DELETE',
    headers: authorization,
  })
  if (response.status !== 202) throw new Error(`DELETE ${repository}:${tag}: ${response.status}`)
}
