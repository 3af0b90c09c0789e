import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import {
  buildFixtures,
  ENGINES,
  FIXTURE_BASE,
  FIXTURE_HEAD,
  historyTotal,
  REGISTRY,
} from '../support/engines.js'
import { type FakeGitHub } from '../support/fake-github.js'
import {
  deleteTag,
  startFlakyFront,
  startProxy,
  startTlsFront,
  type FlakyRequest,
  type RecordingProxy,
  type TlsFront,
} from '../support/net-fakes.js'
import { pushImage, tempDockerConfig } from '../support/registry-tools.js'
import {
  ensureBundle,
  pullRequestEvent,
  runAction,
  useFakeGitHub,
  type ActionResult,
} from '../support/run-action.js'
import { expectExit, expectNoStackTrace } from './expect-run.js'

/**
 * `node dist/index.js` with the runner's environment, reading both images from a registry it
 * can reach only as the network allows: through an HTTPS proxy (CONNECT to a registry with real
 * TLS, under a name only the proxy can resolve), an HTTP proxy, and a flaky front.
 */
const [classic] = ENGINES
const NO_ENGINE = 'unix:///tmp/isg-no-engine-here.sock'
const TLS_NAME = 'registry.isg.test'
const PLAIN = 'registry-plain.isg.test:5000'
const repository = `isg-net/e2e-${process.pid}`
const tags = { base: 'base', pr: 'pr' }

let fake: FakeGitHub
let tls: TlsFront
let proxy: RecordingProxy
let baseBytes: number
let headBytes: number

beforeAll(async () => {
  await ensureBundle()
  buildFixtures(classic)
  baseBytes = historyTotal(classic, FIXTURE_BASE)
  headBytes = historyTotal(classic, FIXTURE_HEAD)
  const config = tempDockerConfig()
  try {
    pushImage(classic, config.dir, FIXTURE_BASE, `${REGISTRY}/${repository}:${tags.base}`)
    pushImage(classic, config.dir, FIXTURE_HEAD, `${REGISTRY}/${repository}:${tags.pr}`)
  } finally {
    config.remove()
  }
  tls = await startTlsFront(TLS_NAME, REGISTRY)
  proxy = await startProxy({ [`${TLS_NAME}:443`]: `127.0.0.1:${tls.port}`, [PLAIN]: REGISTRY })
})

useFakeGitHub((f) => (fake = f))

afterAll(async () => {
  await proxy.close()
  await tls.close()
  await Promise.all(Object.values(tags).map((t) => deleteTag(REGISTRY, repository, t)))
})

function run(number: number, registry: string, env: Record<string, string>, extra = {}) {
  const ref = (tag: string) => `docker://${registry}/${repository}:${tag}`
  return runAction({
    inputs: { 'base-image': ref(tags.base), 'head-image': ref(tags.pr), ...extra },
    event: pullRequestEvent(number),
    api: fake.url,
    env: { DOCKER_HOST: NO_ENGINE, ...env },
  })
}

/** Same sizes as the classic engine's history, and the comment posted. */
function expectCompared(run: ActionResult, number: number): void {
  expectExit(run, 0)
  expect(run.outputs).toMatchObject({
    'base-size': String(baseBytes),
    'head-size': String(headBytes),
    'size-delta': String(headBytes - baseBytes),
  })
  expect(fake.state.comments.filter((c) => c.issueNumber === number)).toHaveLength(1)
}

describe('registries behind a proxy', () => {
  test.each([
    [231, 'HTTPS_PROXY'],
    [232, 'https_proxy'],
  ])('PR #%i, %s: https registry through a CONNECT tunnel', async (number, variable) => {
    const before = proxy.seen.length
    const result = await run(number, TLS_NAME, {
      [variable]: proxy.url,
      NODE_EXTRA_CA_CERTS: tls.caFile,
    })
    expectCompared(result, number)
    const seen = proxy.seen.slice(before)
    expect(new Set(seen)).toEqual(new Set([`CONNECT ${TLS_NAME}:443`]))
    expect(result.stdout).toContain(`${TLS_NAME}: through the proxy ${proxy.url} (${variable})`)
  })

  test.each([
    [233, 'HTTP_PROXY'],
    [234, 'http_proxy'],
  ])(
    'PR #%i, %s: an insecure (plain http) registry through the proxy',
    async (number, variable) => {
      const before = proxy.seen.length
      const result = await run(
        number,
        PLAIN,
        { [variable]: proxy.url },
        {
          'insecure-registries': PLAIN,
        },
      )
      expectCompared(result, number)
      expect(new Set(proxy.seen.slice(before))).toEqual(new Set([`CONNECT ${PLAIN}`]))
    },
  )

  test('PR #235, NO_PROXY: the listed registry is not sent through the proxy', async () => {
    const before = proxy.seen.length
    const result = await run(235, TLS_NAME, {
      HTTPS_PROXY: proxy.url,
      NO_PROXY: `example.com,.isg.test`,
      NODE_EXTRA_CA_CERTS: tls.caFile,
    })
    expectExit(result, 1)
    expect(proxy.seen.slice(before)).toEqual([])
    expect(result.stdout).toMatch(
      /Cannot reach the registry at https:\/\/registry\.isg\.test\/\S+ \(ENOTFOUND\)/,
    )
    expectNoStackTrace(result)
  })
})

describe('a flaky registry', () => {
  const layerCuts = new Set<string>()
  const flakiness = (r: FlakyRequest) => {
    if (r.before > 0) return undefined
    if (r.path.includes('/manifests/') && r.method === 'HEAD') return 'reset' as const
    if (r.path.includes('/manifests/')) return { status: 503, headers: { 'retry-after': '1' } }
    if (r.path.includes('/blobs/') && !r.range) {
      layerCuts.add(r.path)
      return 'cut' as const
    }
    return undefined
  }

  test('PR #236: resets, 503 with Retry-After and cut blobs give the same numbers', async () => {
    const front = await startFlakyFront(REGISTRY, flakiness)
    try {
      const result = await run(236, front.address, {})
      expectCompared(result, 236)
      expect(result.stdout).toMatch(/503 Service Unavailable \(Retry-After 1\.0 s\); retry 1 of 4/)
      expect(result.stdout).toMatch(/body cut after \d+ bytes .*; asking for the rest/)
      expect(front.log.filter((l) => / bytes=\d+- → pass$/.test(l)).length).toBeGreaterThan(0)
    } finally {
      await front.close()
    }
  })

  test('PR #237: a PR image that is not there fails at once with the registry’s code', async () => {
    const missing = '{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}'
    const front = await startFlakyFront(REGISTRY, (r) =>
      r.path.endsWith(`/manifests/${tags.pr}`) ? { status: 404, body: missing } : undefined,
    )
    try {
      const result = await run(237, front.address, {})
      expectExit(result, 1)
      expect(result.stdout).toMatch(/has no image \S+:pr \(404 MANIFEST_UNKNOWN\)/)
      expect(front.log.filter((l) => l.includes(`/manifests/${tags.pr}`))).toHaveLength(2)
      expectNoStackTrace(result)
    } finally {
      await front.close()
    }
  })
})
