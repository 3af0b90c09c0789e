import Docker from 'dockerode'
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/**
 * The real engines of scripts/testbed.sh. Engine tests never skip: an unreachable engine fails
 * them with a message that says how to start it.
 */
export interface TestEngine {
  name: 'classic' | 'containerd'
  host: string
  store: 'overlay2' | 'containerd'
}

export const ENGINES: TestEngine[] = [
  {
    name: 'classic',
    host: process.env.ISG_CLASSIC_HOST ?? 'unix:///var/run/docker.sock',
    store: 'overlay2',
  },
  {
    name: 'containerd',
    host: process.env.ISG_CONTAINERD_HOST ?? 'unix:///tmp/d26.sock',
    store: 'containerd',
  },
]

/** The fixture pair scripts/build-fixtures.sh builds from fixtures/images (base grows by ~4 MB). */
export const FIXTURE_BASE = 'isg-fixture/app:base'
export const FIXTURE_HEAD = 'isg-fixture/app:pr'

export const REGISTRY = process.env.ISG_REGISTRY ?? '127.0.0.1:5000'
export const AUTH_REGISTRY = process.env.ISG_AUTH_REGISTRY ?? '127.0.0.1:5001'
export const AUTH_USER = process.env.ISG_AUTH_USER ?? 'isg'
export const AUTH_PASS = process.env.ISG_AUTH_PASS ?? 'isg-secret'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))

export function dockerFor(engine: TestEngine): Docker {
  return new Docker({ socketPath: engine.host.replace(/^unix:\/\//, '') })
}

/** Runs the docker CLI against one engine; returns stdout. */
export function dockerCli(engine: TestEngine, args: string[]): string {
  return execFileSync('docker', args, {
    env: { ...process.env, DOCKER_HOST: engine.host, DOCKER_BUILDKIT: '0' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
}

export function requireEngine(engine: TestEngine): void {
  try {
    dockerCli(engine, ['version', '--format', '{{.Server.Version}}'])
  } catch (error) {
    throw new Error(
      `The ${engine.name} engine at ${engine.host} is not running: start it with scripts/testbed.sh up (${String(error)})`,
      { cause: error },
    )
  }
}

const built = new Set<string>()

/** Builds fixtures/images on the engine (cached by the engine; once per test file). */
export function buildFixtures(engine: TestEngine): void {
  requireEngine(engine)
  if (built.has(engine.host)) return
  execFileSync('bash', [`${ROOT}/scripts/build-fixtures.sh`], {
    env: { ...process.env, DOCKER_HOST: engine.host },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  built.add(engine.host)
}

/** Non-empty-layer sizes of `docker history`, oldest first, as the check reads them. */
export function historySizes(engine: TestEngine, reference: string): number[] {
  return dockerCli(engine, [
    'history',
    '--no-trunc',
    '--format',
    '{{.Size}}',
    '--human=false',
    reference,
  ])
    .trim()
    .split('\n')
    .map(Number)
    .reverse()
}

/** The image's size as `docker history` adds it up: the sum of every step's Size. */
export function historyTotal(engine: TestEngine, reference: string): number {
  return historySizes(engine, reference).reduce((a, b) => a + b, 0)
}
