import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals'
import { startTokenServer, TOKEN } from '../sources/registry/token-server.js'
import {
  AUTH_PASS,
  AUTH_REGISTRY,
  AUTH_USER,
  buildFixtures,
  ENGINES,
  FIXTURE_BASE,
  FIXTURE_HEAD,
  historyTotal,
  REGISTRY,
} from '../support/engines.js'
import { FAKE_TOKENS, type FakeGitHub } from '../support/fake-github.js'
import { deleteTag, startFlakyFront, type Fault, type FlakyRequest } from '../support/net-fakes.js'
import { startSlowFront } from '../support/registry-faults.js'
import { dockerLogin, pushImage, tempDockerConfig } from '../support/registry-tools.js'
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
 * Registry faults under the built action (`node dist/index.js`), no engine in reach: wrong
 * credentials, a token service that refuses, 404 for a tag or a blob, 429 and 5xx, a registry
 * that never answers or stops sending, resets on every try, and redirects. A failing run ends
 * with exit 1 and one line naming the registry and the image and saying what to do, within the
 * bound set by IMAGE_SIZE_GATE_REGISTRY_TIMEOUT; no comment; no password or token in any output.
 */
const [classic] = ENGINES
const NO_ENGINE = 'unix:///tmp/isg-no-engine-here.sock'
const repository = `isg-faults/e2e-${process.pid}`
const tags = { base: 'base', pr: 'pr' }
const WRONG_PASSWORD = 'Wr0ng-pa55word-never-shown'
const TIMEOUT_S = 1

let fake: FakeGitHub
let baseBytes: number
let headBytes: number
const closers: Array<() => Promise<void>> = []

beforeAll(async () => {
  await ensureBundle()
  buildFixtures(classic)
  baseBytes = historyTotal(classic, FIXTURE_BASE)
  headBytes = historyTotal(classic, FIXTURE_HEAD)
  const config = tempDockerConfig()
  try {
    dockerLogin(classic, config.dir, AUTH_REGISTRY, { user: AUTH_USER, pass: AUTH_PASS })
    for (const registry of [REGISTRY, AUTH_REGISTRY]) {
      pushImage(classic, config.dir, FIXTURE_BASE, `${registry}/${repository}:${tags.base}`)
      pushImage(classic, config.dir, FIXTURE_HEAD, `${registry}/${repository}:${tags.pr}`)
    }
  } finally {
    config.remove()
  }
})

useFakeGitHub((f) => (fake = f))

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
})

afterAll(async () => {
  await Promise.all(Object.values(tags).map((t) => deleteTag(REGISTRY, repository, t)))
})

function run(number: number, registry: string, extra: Record<string, string> = {}) {
  const ref = (tag: string) => `docker://${registry}/${repository}:${tag}`
  return runAction({
    inputs: { 'base-image': ref(tags.base), 'head-image': ref(tags.pr), ...extra },
    event: pullRequestEvent(number),
    api: fake.url,
    env: { DOCKER_HOST: NO_ENGINE, IMAGE_SIZE_GATE_REGISTRY_TIMEOUT: String(TIMEOUT_S) },
  })
}

const SECRETS = [WRONG_PASSWORD, AUTH_PASS, TOKEN, ...Object.values(FAKE_TOKENS)]

/** Nothing secret in any output; masked values are announced to the runner only. */
function expectNoSecrets(result: ActionResult): void {
  const stdout = result.stdout
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n')
  for (const secret of SECRETS) {
    expect(stdout).not.toContain(secret)
    expect(result.stderr).not.toContain(secret)
    expect(result.summary).not.toContain(secret)
  }
}

/** Exit 1, one error line (returned), no stack trace, no comment, nothing secret. */
function failedOnce(result: ActionResult, number: number): string {
  expectExit(result, 1)
  expectNoStackTrace(result)
  expectNoSecrets(result)
  const errors = workflowCommands(result.stdout, 'error')
  if (errors.length !== 1) throw new Error(`expected one ::error; ${describeRun(result)}`)
  expect(errors[0]).not.toContain('%0A')
  expect(fake.state.comments.filter((c) => c.issueNumber === number)).toEqual([])
  if (process.env.SHOW_ERRORS) console.log(errors[0])
  return errors[0]
}

function comparedOnce(result: ActionResult, number: number): void {
  expectExit(result, 0)
  expectNoSecrets(result)
  expect(result.outputs).toMatchObject({
    'base-size': String(baseBytes),
    'head-size': String(headBytes),
  })
  expect(fake.state.comments.filter((c) => c.issueNumber === number)).toHaveLength(1)
}

async function flaky(decide: (r: FlakyRequest) => Fault) {
  const front = await startFlakyFront(REGISTRY, decide)
  closers.push(front.close)
  return front
}

async function slow(decide: Parameters<typeof startSlowFront>[1]) {
  const front = await startSlowFront(REGISTRY, decide)
  closers.push(front.close)
  return front
}

const isLayer = (path: string) => /\/blobs\/sha256:/.test(path)
const image = (tag: string) => `docker://\\S+/${repository}:${tag}`

describe('401: credentials refused', () => {
  test('PR #311: a wrong password for the htpasswd registry', async () => {
    const result = await run(311, AUTH_REGISTRY, {
      'registry-username': AUTH_USER,
      'registry-password': WRONG_PASSWORD,
    })
    const error = failedOnce(result, 311)
    expect(error).toMatch(
      new RegExp(
        `^The (base|PR) image ${image('(base|pr)')}.*denied access to ${repository} \\(401, as ${AUTH_USER}\\): check that the password or token of ${AUTH_USER} is right`,
      ),
    )
  })

  test('PR #312: a token service that refuses the login', async () => {
    const server = await startTokenServer({
      upstream: REGISTRY,
      tokenField: 'token',
      login: { user: AUTH_USER, pass: AUTH_PASS },
    })
    closers.push(server.close)
    const result = await run(312, server.registry, {
      'registry-username': AUTH_USER,
      'registry-password': WRONG_PASSWORD,
    })
    const error = failedOnce(result, 312)
    expect(server.tokenRequests.length).toBeGreaterThan(0)
    expect(error).toMatch(/denied access to \S+ \(401, as isg\): check that the password/)
  })
})

describe('404: a missing tag, a missing blob', () => {
  test('PR #313: a layer blob the registry lost mid-run', async () => {
    const missing = '{"errors":[{"code":"BLOB_UNKNOWN","message":"blob unknown to registry"}]}'
    let lost = ''
    const front = await flaky((r) => {
      if (!isLayer(r.path) || r.method !== 'GET') return undefined
      if (lost === '') lost = r.path
      return r.path === lost ? { status: 404, body: missing } : undefined
    })
    const result = await run(313, front.address)
    const error = failedOnce(result, 313)
    expect(error).toMatch(
      /answered 404 Not Found for (layer|config) sha256:[0-9a-f]{64}.* \(BLOB_UNKNOWN/,
    )
    expect(error).toMatch(/^The (base|PR) image docker:\/\//)
  })
})

describe('429 and 5xx', () => {
  test('PR #314: 429 with Retry-After on every try: retried a bounded number of times', async () => {
    const front = await flaky((r) =>
      r.path.includes('/manifests/')
        ? {
            status: 429,
            headers: { 'retry-after': '1' },
            body: '{"errors":[{"code":"TOOMANYREQUESTS"}]}',
          }
        : undefined,
    )
    const result = await run(314, front.address)
    const error = failedOnce(result, 314)
    expect(result.stdout).toMatch(/429 Too Many Requests \(Retry-After 1\.0 s\); retry 4 of 4/)
    expect(result.stdout).not.toMatch(/retry 5 of/)
    expect(error).toMatch(
      /answered 429 Too Many Requests for image \S+ \(TOOMANYREQUESTS\).*run again later/,
    )
  })

  test('PR #315: 500 on a config blob fails at once, not retried', async () => {
    const front = await flaky((r) =>
      isLayer(r.path) ? { status: 500, body: 'internal error' } : undefined,
    )
    const result = await run(315, front.address)
    const error = failedOnce(result, 315)
    expect(error).toMatch(
      /answered 500 Internal Server Error for (config|layer) sha256:.*the registry is failing; run again later/,
    )
    expect(result.stdout).not.toMatch(/retry 1 of/)
  })

  test('PR #316: 503 on every try: retried, then one line', async () => {
    const front = await flaky((r) => (isLayer(r.path) ? { status: 503 } : undefined))
    const result = await run(316, front.address)
    const error = failedOnce(result, 316)
    expect(result.stdout).toMatch(/503 Service Unavailable; retry 4 of 4/)
    expect(error).toMatch(
      /answered 503 Service Unavailable for (config|layer) sha256:.*the registry is failing; run again later/,
    )
  })
})

describe('a registry that never answers or stops sending', () => {
  test('PR #317: no answer at all: a bounded wait, then one line', async () => {
    const front = await slow(() => 'hang')
    const started = Date.now()
    const result = await run(317, front.address)
    const error = failedOnce(result, 317)
    expect(Date.now() - started).toBeLessThan(30_000)
    expect(error).toContain(`no response in ${TIMEOUT_S}.0 s`)
    expect(error).toContain('IMAGE_SIZE_GATE_REGISTRY_TIMEOUT')
  })

  test('PR #318: a layer body that stops and stays silent once: resumed, same numbers', async () => {
    const front = await slow((r) =>
      isLayer(r.path) && r.method === 'GET' && r.before === 0 ? 'stall' : undefined,
    )
    const result = await run(318, front.address)
    comparedOnce(result, 318)
    expect(front.log.some((l) => l.endsWith('→ stall'))).toBe(true)
    expect(result.stdout).toMatch(/no data for 1\.0 s\); asking for the rest/)
  })

  test('PR #319: a connection reset in every layer body: a bounded number of tries, one line', async () => {
    const front = await flaky((r) => (isLayer(r.path) && r.method === 'GET' ? 'cut' : undefined))
    const result = await run(319, front.address)
    const error = failedOnce(result, 319)
    expect(error).toMatch(
      /broke off (layer|config) sha256:\S+ .*after \d+ (of \d+ )?bytes .*(gave up after 3 tries|run again later)/,
    )
  })
})

describe('redirects', () => {
  test('PR #320: blobs redirected to another origin get no credentials', async () => {
    const server = await startTokenServer({
      upstream: REGISTRY,
      tokenField: 'token',
      login: { user: AUTH_USER, pass: AUTH_PASS },
      redirectBlobs: true,
    })
    closers.push(server.close)
    const result = await run(320, server.registry, {
      'registry-username': AUTH_USER,
      'registry-password': AUTH_PASS,
    })
    comparedOnce(result, 320)
    expect(server.cdnRequests.length).toBeGreaterThan(0)
    expect(server.cdnRequests.filter((r) => r.authorization !== undefined)).toEqual([])
    expect(server.registryRequests.some((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true)
  })

  test('PR #321: a redirect whose Location is not a URL: one line', async () => {
    const front = await slow((r) =>
      isLayer(r.path) && r.method === 'GET' ? { redirect: 'http://[not-a-host/x' } : undefined,
    )
    const result = await run(321, front.address)
    const error = failedOnce(result, 321)
    expect(error).toMatch(/redirected .* to "http:\/\/\[not-a-host\/x", which is not a URL/)
  })
})
