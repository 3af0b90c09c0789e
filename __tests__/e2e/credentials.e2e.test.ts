import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals'
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { promisify } from 'node:util'
import {
  AUTH_PASS,
  AUTH_REGISTRY,
  AUTH_USER,
  buildFixtures,
  ENGINES,
  REGISTRY,
  ROOT,
} from '../support/engines.js'
import type { FakeGitHub } from '../support/fake-github.js'
import { dockerLogin, pushImage, tempDockerConfig } from '../support/registry-tools.js'
import {
  ensureBundle,
  pullRequestEvent,
  runAction,
  useFakeGitHub,
  workflowCommands,
  type ActionResult,
} from '../support/run-action.js'
import { startTokenServer, TOKEN, type TokenServer } from '../sources/registry/token-server.js'
import { deleteTag, makeHelpers, type FakeHelpers } from '../sources/credentials/helpers.js'
import { expectExit, expectNoStackTrace } from './expect-run.js'

/**
 * `node dist/index.js` with the base image on the password-protected registry and the PR image
 * on another registry (token-server.ts, recording every Authorization header it receives):
 * the credentials reach their own registry only, and every secret is masked in the log.
 */

const classic = ENGINES[0]
const repository = 'isg-creds/e2e'
const tags = { base: `base-${process.pid}`, pr: `pr-${process.pid}` }
const baseRef = `docker://${AUTH_REGISTRY}/${repository}:${tags.base}`
const basic = `Basic ${Buffer.from(`${AUTH_USER}:${AUTH_PASS}`).toString('base64')}`

let fake: FakeGitHub
let other: TokenServer
let helpers: FakeHelpers
let dockerConfig: string

beforeAll(async () => {
  await ensureBundle()
  buildFixtures(classic)
  const config = tempDockerConfig()
  try {
    dockerLogin(classic, config.dir, AUTH_REGISTRY, { user: AUTH_USER, pass: AUTH_PASS })
    pushImage(
      classic,
      config.dir,
      'isg-fixture/app:base',
      `${AUTH_REGISTRY}/${repository}:${tags.base}`,
    )
    pushImage(classic, config.dir, 'isg-fixture/app:pr', `${REGISTRY}/${repository}:${tags.pr}`)
  } finally {
    config.remove()
  }
  helpers = makeHelpers({ [AUTH_REGISTRY]: `${AUTH_USER}:${AUTH_PASS}` })
  dockerConfig = mkdtempSync(join(tmpdir(), 'isg-creds-e2e-config-'))
})
useFakeGitHub((f) => (fake = f))
afterEach(async () => {
  await other?.close()
})
afterAll(async () => {
  await deleteTag(REGISTRY, repository, tags.pr)
  await deleteTag(AUTH_REGISTRY, repository, tags.base, { user: AUTH_USER, pass: AUTH_PASS })
  helpers.remove()
  rmSync(dockerConfig, { recursive: true, force: true })
})

/** The PR image behind the recording front; a fresh front for each test. */
async function prRef(): Promise<string> {
  other = await startTokenServer({ upstream: REGISTRY, tokenField: 'token' })
  return `docker://${other.registry}/${repository}:${tags.pr}`
}

function run(number: number, inputs: Record<string, string>, config: object = {}) {
  writeFileSync(join(dockerConfig, 'config.json'), JSON.stringify(config))
  return runAction({
    inputs: { 'size-basis': 'compressed', ...inputs },
    event: pullRequestEvent(number),
    api: fake.url,
    env: { DOCKER_CONFIG: dockerConfig, PATH: `${helpers.bin}${delimiter}${process.env.PATH}` },
  })
}

/** Every Authorization header the other registry and its token service received. */
function seenByOther(): string[] {
  return [...other.tokenRequests, ...other.registryRequests, ...other.cdnRequests].flatMap((r) =>
    r.authorization ? [r.authorization] : [],
  )
}

/** The runner is told to mask each secret, and none is printed anywhere else. */
function expectMasked(result: ActionResult, secrets: string[]): void {
  const masks = workflowCommands(result.stdout, 'add-mask')
  const lines = result.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::'))
  for (const secret of secrets) {
    expect([secret, masks.includes(secret)]).toEqual([secret, true])
    expect(lines.filter((l) => l.includes(secret))).toEqual([])
    expect(result.stderr).not.toContain(secret)
  }
}

describe('credentials stay with their registry, and are masked', () => {
  test('registry set: the other registry never sees the password; password and tokens masked', async () => {
    const result = await run(241, {
      'base-image': baseRef,
      'head-image': await prRef(),
      registry: AUTH_REGISTRY,
      'registry-username': AUTH_USER,
      'registry-password': AUTH_PASS,
    })
    expectExit(result, 0)
    expect(other.tokenRequests.length).toBeGreaterThan(0)
    expect(seenByOther().filter((a) => a.startsWith('Basic'))).toEqual([])
    expectMasked(result, [AUTH_PASS, basic.slice('Basic '.length), TOKEN])
  })

  test('images on two registries and no registry input: one input error naming it, nothing sent', async () => {
    const result = await run(242, {
      'base-image': baseRef,
      'head-image': await prRef(),
      'registry-username': AUTH_USER,
      'registry-password': AUTH_PASS,
    })
    expectExit(result, 1)
    expectNoStackTrace(result)
    expect(workflowCommands(result.stdout, 'error')).toEqual([
      `Input "registry" has the value ""; expected the registry that registry-username and registry-password are for, because the images are on several registries (${AUTH_REGISTRY}, ${other.registry}) and credentials are sent to one only.`,
    ])
    expect(other.registryRequests).toEqual([])
    expect(other.tokenRequests).toEqual([])
  })

  test('a credsStore helper logs in to its own registry only; its secret is masked', async () => {
    const result = await run(
      243,
      { 'base-image': baseRef, 'head-image': await prRef() },
      { credsStore: 'isg-good' },
    )
    expectExit(result, 0)
    expect(result.outputs['base-compressed-size']).toMatch(/^[1-9]\d*$/)
    expect(seenByOther()).not.toContain(basic)
    expectMasked(result, [AUTH_PASS, TOKEN])
    expect(helpers.asked()).toEqual(
      expect.arrayContaining([`isg-good ${AUTH_REGISTRY}`, `isg-good ${other.registry}`]),
    )
  })
})

describe('the CLI (dist/cli.js)', () => {
  test('--registry is an option, and its absence with two registries is the same one error', async () => {
    const cli = (args: string[]) =>
      promisify(execFile)('node', [join(ROOT, 'dist/cli.js'), 'compare', ...args], {
        cwd: ROOT,
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
      }).then(
        (r) => ({ code: 0, ...r }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      )
    const images = ['docker://ghcr.io/o/a:1', 'docker://quay.io/o/a:2']
    const login = ['--registry-username', 'u', '--registry-password', 'p']
    const missing = await cli([...images, ...login])
    expect([missing.code, missing.stderr]).toEqual([
      2,
      'image-size-gate: Option --registry has the value ""; expected the registry that registry-username and registry-password are for, because the images are on several registries (ghcr.io, quay.io) and credentials are sent to one only.\n',
    ])
    const bad = await cli([...images, ...login, '--registry', 'not a host'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/^image-size-gate: Option --registry has the value "not a host"/)
  })
})
