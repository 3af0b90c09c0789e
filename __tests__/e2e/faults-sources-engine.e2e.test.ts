import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals'
import { spawn, spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { startEngineFront, startSilentEngine, type EngineFault } from '../support/engine-faults.js'
import {
  buildFixtures,
  ENGINES,
  FIXTURE_BASE,
  FIXTURE_HEAD,
  REGISTRY,
  ROOT,
} from '../support/engines.js'
import { deleteTag } from '../support/net-fakes.js'
import { pushImage, tempDockerConfig } from '../support/registry-tools.js'
import { FAKE_TOKENS, type FakeGitHub } from '../support/fake-github.js'
import {
  ensureBundle,
  pullRequestEvent,
  runAction,
  useFakeGitHub,
  workflowCommands,
  type ActionResult,
} from '../support/run-action.js'
import { describeRun, expectExit, expectNoStackTrace } from './expect-run.js'

/**
 * The Docker engine failing under a run of the built action (`node dist/index.js`) and CLI
 * (`node dist/cli.js`): a socket in front of the real engine that cuts the image export half
 * way, stops the engine once inspect has answered, or never answers. Each run ends with exit 1
 * (the CLI's 3), one line naming the engine and the image and saying what to do, no stack trace,
 * no comment, and within the engine timeout (IMAGE_SIZE_GATE_ENGINE_TIMEOUT, seconds).
 */
const [classic] = ENGINES
const UPSTREAM = classic.host.replace(/^unix:\/\//, '')
const TIMEOUT_S = 2

let fake: FakeGitHub
const closers: Array<() => Promise<void>> = []

beforeAll(async () => {
  await ensureBundle()
  buildFixtures(classic)
})

useFakeGitHub((f) => (fake = f))

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
})

async function front(decide: (path: string) => EngineFault, cutAfter?: number) {
  const started = await startEngineFront(UPSTREAM, (r) => decide(r.path), cutAfter)
  closers.push(started.close)
  return started
}

function runOn(number: number, host: string, extra: Record<string, string> = {}) {
  return runAction({
    inputs: {
      'base-image': `docker-daemon:${FIXTURE_BASE}`,
      'head-image': `docker-daemon:${FIXTURE_HEAD}`,
      ...extra,
    },
    event: pullRequestEvent(number),
    api: fake.url,
    env: {
      DOCKER_HOST: host,
      DOCKER_CONTEXT: undefined,
      IMAGE_SIZE_GATE_ENGINE_TIMEOUT: String(TIMEOUT_S),
    },
    timeoutMs: 60_000,
  })
}

/** The run failed with one error annotation, which it returns; no comment; no secret shown. */
function failedOnce(run: ActionResult, number: number): string {
  expectExit(run, 1)
  expectNoStackTrace(run)
  const errors = workflowCommands(run.stdout, 'error')
  if (errors.length !== 1) throw new Error(`expected one ::error; ${describeRun(run)}`)
  expect(errors[0]).not.toContain('%0A')
  expect(fake.state.comments.filter((c) => c.issueNumber === number)).toEqual([])
  for (const token of Object.values(FAKE_TOKENS)) {
    expect(run.stdout).not.toContain(token)
    expect(run.stderr).not.toContain(token)
  }
  if (process.env.SHOW_ERRORS) console.log(errors[0])
  return errors[0]
}

describe('the engine stops mid-run', () => {
  test('PR #301: the image export is cut half way', async () => {
    const engine = await front((path) => (path.startsWith('/images/get') ? 'cut' : 'pass'))
    const run = await runOn(301, engine.host)
    const error = failedOnce(run, 301)
    expect(engine.log.some((l) => / → cut$/.test(l))).toBe(true)
    expect(error).toMatch(
      new RegExp(
        `^The (base|PR) image docker-daemon:isg-fixture/app:(base|pr).*[Tt]he Docker engine at ${engine.host}.*(broke off|stopped).*run again`,
      ),
    )
  })

  test('PR #302: the engine stops once inspect has answered', async () => {
    let inspected = 0
    const engine = await front((path) => {
      if (/^\/images\/.+\/json(\?|$)/.test(path)) inspected += 1
      else if (inspected > 0 && path.startsWith('/images/')) return 'stop'
      return 'pass'
    })
    const run = await runOn(302, engine.host)
    const error = failedOnce(run, 302)
    expect(engine.log.some((l) => / → stop$/.test(l))).toBe(true)
    expect(error).toMatch(
      new RegExp(
        `^The (base|PR) image docker-daemon:isg-fixture/app:(base|pr).*[Tt]he Docker engine at ${engine.host}`,
      ),
    )
    expect(error).toMatch(/start dockerd|run again/)
  })
})

describe('a pull the engine breaks off', () => {
  const pulled = `${REGISTRY}/isg-faults/pull-${process.pid}:pr`

  beforeAll(() => {
    const config = tempDockerConfig()
    try {
      pushImage(classic, config.dir, FIXTURE_HEAD, pulled)
    } finally {
      config.remove()
    }
  })

  afterAll(async () => {
    spawnSync('docker', ['-H', classic.host, 'rmi', '-f', pulled], { encoding: 'utf8' })
    await deleteTag(REGISTRY, `isg-faults/pull-${process.pid}`, 'pr')
  })

  test('PR #306: the engine stops during the pull of the PR image', async () => {
    const engine = await front((path) => (path.startsWith('/images/create') ? 'cut' : 'pass'), 64)
    const run = await runOn(306, engine.host, { 'head-image': pulled })
    const error = failedOnce(run, 306)
    expect(engine.log.some((l) => /^POST \/images\/create.* → cut$/.test(l))).toBe(true)
    expect(error).toContain(
      `The PR image ${pulled}: The Docker engine at ${engine.host} broke off the pull of ${pulled}`,
    )
    expect(error).toContain('run again')
  })
})

describe('an engine that never answers', () => {
  test('PR #303: a socket that accepts and stays silent: a bounded wait, then one line', async () => {
    const silent = await startSilentEngine()
    closers.push(silent.close)
    const run = await runOn(303, silent.host)
    const error = failedOnce(run, 303)
    expect(run.ms).toBeLessThan(TIMEOUT_S * 1000 * 6)
    expect(error).toContain(`The Docker engine at ${silent.host} did not answer in ${TIMEOUT_S} s`)
    expect(error).toContain('IMAGE_SIZE_GATE_ENGINE_TIMEOUT')
  })

  test('PR #304: the export never starts: the same bound applies', async () => {
    const engine = await front((path) => (path.startsWith('/images/get') ? 'hang' : 'pass'))
    const run = await runOn(304, engine.host)
    const error = failedOnce(run, 304)
    expect(error).toContain(`did not answer in ${TIMEOUT_S} s`)
    expect(error).toMatch(/isg-fixture\/app:(base|pr)/)
  })

  test('a bad IMAGE_SIZE_GATE_ENGINE_TIMEOUT is one line naming it', async () => {
    const run = await runAction({
      inputs: {
        'base-image': `docker-daemon:${FIXTURE_BASE}`,
        'head-image': `docker-daemon:${FIXTURE_HEAD}`,
      },
      event: pullRequestEvent(305),
      api: fake.url,
      env: { DOCKER_HOST: classic.host, IMAGE_SIZE_GATE_ENGINE_TIMEOUT: '-1e308' },
    })
    const error = failedOnce(run, 305)
    expect(error).toContain('IMAGE_SIZE_GATE_ENGINE_TIMEOUT')
    expect(error).toContain('"-1e308"')
  })
})

describe('the CLI (dist/cli.js)', () => {
  test('a silent engine: exit 3 after the bound, one line on stderr', async () => {
    const silent = await startSilentEngine()
    closers.push(silent.close)
    const started = Date.now()
    const child = spawn(
      'node',
      [
        join(ROOT, 'dist/cli.js'),
        'compare',
        `docker-daemon:${FIXTURE_BASE}`,
        `docker-daemon:${FIXTURE_HEAD}`,
      ],
      {
        cwd: ROOT,
        env: { ...process.env, DOCKER_HOST: silent.host, IMAGE_SIZE_GATE_ENGINE_TIMEOUT: '1' },
      },
    )
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    const killer = setTimeout(() => child.kill('SIGKILL'), 30_000)
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
    clearTimeout(killer)
    expect({ code, stdout }).toEqual({ code: 3, stdout: '' })
    expect(Date.now() - started).toBeLessThan(15_000)
    const lines = stderr.trim().split('\n')
    expect(lines.at(-1)).toMatch(
      new RegExp(`^image-size-gate: .*The Docker engine at ${silent.host} did not answer in 1 s`),
    )
    expect(stderr).not.toMatch(/^\s+at /m)
  })
})
