import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { JsonReport } from '../../src/report/json-report.js'
import { makeDockerfileRepo } from '../image-build/git-fixture.js'
import { makeDockerConfig, type DockerConfigDir } from '../support/docker-contexts.js'
import {
  buildFixtures,
  dockerCli,
  ENGINES,
  FIXTURE_BASE,
  FIXTURE_HEAD,
} from '../support/engines.js'
import type { FakeGitHub } from '../support/fake-github.js'
import {
  ensureBundle,
  pullRequestEvent,
  runAction,
  useFakeGitHub,
  workflowCommands,
  type ActionResult,
} from '../support/run-action.js'
import {
  makeCertificates,
  startEngineFront,
  type EngineFront,
  type TestCertificates,
} from '../support/tls-engine.js'
import { expectExit, expectNoStackTrace } from './expect-run.js'

/**
 * `node dist/index.js` with the runner's environment and a Docker contexts store: the engine is
 * the one the docker CLI would use (DOCKER_HOST, DOCKER_CONTEXT, currentContext), for reading
 * and for building, and the comment's footer says which. The images live only on the second
 * (containerd-store) engine, so a run that reads the default socket instead cannot pass.
 */
const [classic, containerd] = ENGINES
const TAG = `isg-engine-e2e/app:${process.pid}`
const BASE = `${TAG}-base`
const HEAD = `${TAG}-head`
/** Node's own warning for url.parse() is pending on Node 20 and runtime on 24: make it fatal. */
const STRICT_NODE = '--pending-deprecation --throw-deprecation'

let fake: FakeGitHub
let config: DockerConfigDir
let certs: TestCertificates
let tlsFront: EngineFront
let plainFront: EngineFront
let scratch: string

beforeAll(async () => {
  await ensureBundle()
  buildFixtures(containerd)
  dockerCli(containerd, ['tag', FIXTURE_BASE, BASE])
  dockerCli(containerd, ['tag', FIXTURE_HEAD, HEAD])
  config = makeDockerConfig()
  config.addContext('d26', containerd.host)
  certs = makeCertificates()
  const d26Socket = containerd.host.replace('unix://', '')
  tlsFront = await startEngineFront(d26Socket, certs)
  plainFront = await startEngineFront(d26Socket)
  config.addContext('d26-tls', `tcp://127.0.0.1:${tlsFront.port}`, {
    tls: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey },
  })
  scratch = mkdtempSync(join(tmpdir(), 'isg-engine-e2e-'))
})

afterAll(async () => {
  dockerCli(containerd, ['rmi', BASE, HEAD])
  await tlsFront?.close()
  await plainFront?.close()
  config?.remove()
  certs?.remove()
  if (scratch) rmSync(scratch, { recursive: true, force: true })
})

useFakeGitHub((f) => (fake = f))

function run(number: number, env: Record<string, string>, inputs: Record<string, string> = {}) {
  return runAction({
    inputs: {
      'head-image': `docker-daemon:${HEAD}`,
      'base-image': `docker-daemon:${BASE}`,
      ...inputs,
    },
    event: pullRequestEvent(number),
    api: fake.url,
    env: { DOCKER_CONFIG: config.dir, DOCKER_HOST: undefined, DOCKER_CONTEXT: undefined, ...env },
    timeoutMs: 180_000,
  })
}

function commentOn(number: number): string {
  const comments = fake.state.comments.filter((c) => c.issueNumber === number)
  expect(comments).toHaveLength(1)
  return comments[0].body
}

const footerOf = (body: string) => body.split('\n').find((l) => l.includes('<br>PR: ')) ?? ''
const jsonReport = (r: ActionResult) =>
  JSON.parse(readFileSync(r.outputs['report-path'], 'utf8')) as JsonReport

describe('the engine the user means, through the bundle', () => {
  test('1. currentContext, no DOCKER_HOST: images only on the d26 engine are read; the footer names it', async () => {
    config.setCurrentContext('d26')
    const result = await run(401, {})
    expectExit(result, 0)
    expect(result.outputs.verdict).toBe('pass')
    const footer = footerOf(commentOn(401))
    expect(footer.match(/engine `unix:\/\/\/tmp\/d26\.sock` \(context `d26`\)/g)).toHaveLength(2)
    expect(footer).toContain('containerd image store')
    expect(jsonReport(result).entries[0].head).toMatchObject({
      engineHost: containerd.host,
      engineContext: 'd26',
      store: 'containerd',
    })
    expectNoStackTrace(result)
  })

  test('2. DOCKER_CONTEXT does the same; DOCKER_HOST set too wins, as in the CLI', async () => {
    config.writeFile('config.json', '{}')
    const byContext = await run(402, { DOCKER_CONTEXT: 'd26' })
    expectExit(byContext, 0)
    expect(footerOf(commentOn(402))).toContain('(context `d26`)')

    const byHost = await run(403, { DOCKER_CONTEXT: 'd26', DOCKER_HOST: classic.host })
    expectExit(byHost, 1)
    expect(workflowCommands(byHost.stdout, 'error')).toEqual([
      `The PR image ${HEAD} is not in the Docker engine (docker-daemon: references are never pulled)`,
    ])
    expectNoStackTrace(byHost)
  })

  test('3. a context that does not exist: one line naming it and its meta.json, exit 1', async () => {
    const result = await run(404, { DOCKER_CONTEXT: 'isg-missing' })
    expectExit(result, 1)
    const errors = workflowCommands(result.stdout, 'error')
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(
      /^The PR image docker-daemon:\S+: Docker context "isg-missing" \(set by DOCKER_CONTEXT\) does not exist: there is no .*\/contexts\/meta\/[0-9a-f]{64}\/meta\.json/,
    )
    expectNoStackTrace(result)
    expect(fake.state.requests).toEqual([])
  })

  test('4. a TLS context with a client certificate, and tcp:// from DOCKER_HOST, with no url.parse() deprecation', async () => {
    config.writeFile('config.json', '{}')
    const tls = await run(405, { DOCKER_CONTEXT: 'd26-tls', NODE_OPTIONS: STRICT_NODE })
    expectExit(tls, 0)
    expect(tls.stderr).not.toMatch(/DeprecationWarning|DEP0/)
    expect(footerOf(commentOn(405))).toContain(
      `engine \`tcp://127.0.0.1:${tlsFront.port}\` (context \`d26-tls\`)`,
    )
    const plain = await run(406, {
      DOCKER_HOST: `tcp://127.0.0.1:${plainFront.port}`,
      NODE_OPTIONS: STRICT_NODE,
    })
    expectExit(plain, 0)
    expect(plain.stderr).not.toMatch(/DeprecationWarning|DEP0/)
    expect(footerOf(commentOn(406))).toContain(`engine \`tcp://127.0.0.1:${plainFront.port}\`,`)
  })

  test('5. build mode with currentContext: the CLI builds on the engine the images are read from', async () => {
    config.setCurrentContext('d26')
    const repo = makeDockerfileRepo(
      scratch,
      'repo',
      ['FROM isg-fixture/busybox:1', 'RUN echo base > /b.txt'],
      ['FROM isg-fixture/busybox:1', 'RUN head -c 1500000 /dev/urandom > /grown.bin'],
    )
    const runId = `isg-engine-e2e-${process.pid}`
    const event = pullRequestEvent(407)
    ;(event.payload.pull_request as { base: { sha: string } }).base.sha = repo.baseSha
    const result = await runAction({
      inputs: { context: '.', 'build-network': 'host', 'max-increase': '1MB' },
      event,
      api: fake.url,
      env: {
        DOCKER_CONFIG: config.dir,
        DOCKER_HOST: undefined,
        DOCKER_CONTEXT: undefined,
        GITHUB_WORKSPACE: repo.dir,
        GITHUB_RUN_ID: runId,
      },
      timeoutMs: 300_000,
    })
    expectExit(result, 1) // the budget: +1.5 MB against max-increase 1MB
    expect(result.outputs.verdict).toBe('fail')
    expect(Number(result.outputs['size-delta'])).toBeGreaterThan(1_499_000) // minus /b.txt
    expect(footerOf(commentOn(407)).match(/\(context `d26`\)/g)).toHaveLength(2)
    // Built on d26 (and removed there afterwards); the classic engine never saw them.
    const tags = (engine: (typeof ENGINES)[number]) =>
      dockerCli(engine, ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}'])
        .split('\n')
        .filter((t) => t.includes(runId))
    expect(tags(containerd)).toEqual([])
    expect(tags(classic)).toEqual([])
    expect(result.stdout).not.toMatch(/Could not remove the image/)
    expectNoStackTrace(result)
  })
})
