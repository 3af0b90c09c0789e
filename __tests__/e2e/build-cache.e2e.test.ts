import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { makeDockerfileRepo } from '../image-build/git-fixture.js'
import { buildFixtures, dockerCli, ENGINES } from '../support/engines.js'
import type { FakeGitHub } from '../support/fake-github.js'
import {
  ensureBundle,
  pullRequestEvent,
  runAction,
  useFakeGitHub,
  workflowCommands,
} from '../support/run-action.js'
import { expectExit, expectNoStackTrace } from './expect-run.js'

/**
 * Build mode's caches and build times through `node dist/index.js`, on the classic engine with
 * the testbed's docker CLI (no buildx). Each run's Dockerfiles hold a token of their own, so the
 * engine's cache, shared with other tests, cannot make a step "cached" by accident.
 */

const [classic, containerd] = ENGINES
const BUILDX_CONFIG = process.env.ISG_BUILDX_CONFIG ?? '/tmp/isg-buildx/config'
const TOKEN = `${process.pid}-${Date.now()}`
const SHARED = ['FROM isg-fixture/busybox:1', `RUN echo shared-${TOKEN} > /shared.txt && sleep 1`]

let fake: FakeGitHub
let scratch: string

beforeAll(async () => {
  await ensureBundle()
  buildFixtures(classic)
  buildFixtures(containerd)
  scratch = mkdtempSync(join(tmpdir(), 'isg-build-cache-e2e-'))
})
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

useFakeGitHub((f) => (fake = f))

function runBuild(name: string, inputs: Record<string, string>, env: Record<string, string> = {}) {
  const repo = makeDockerfileRepo(
    scratch,
    name,
    [...SHARED, `RUN echo base-${TOKEN} > /side.txt`],
    [...SHARED, `RUN head -c 300000 /dev/zero > /side.bin`],
  )
  const event = pullRequestEvent(31)
  ;(event.payload.pull_request as { base: { sha: string } }).base.sha = repo.baseSha
  return runAction({
    inputs: { context: '.', 'build-network': 'host', comment: 'false', ...inputs },
    event,
    api: fake.url,
    env: { GITHUB_WORKSPACE: repo.dir, GITHUB_RUN_ID: `isg-cache-e2e-${name}-${TOKEN}`, ...env },
    timeoutMs: 180_000,
  })
}

describe('build mode: caches and build times', () => {
  test('1: the summary and the JSON report give each build time; the base reused the PR build', async () => {
    const run = await runBuild('times', { 'cache-from': 'isg-fixture/busybox:1' })
    expectExit(run, 0)
    expect(run.summary).toMatch(
      /<sub>Build times: PR image \d+\.\d s \(0 of 3 steps from the cache\), base image \d+\.\d s \(1 of 3 steps from the cache\)\.<\/sub>/,
    )
    const report = JSON.parse(readFileSync(run.outputs['report-path'], 'utf8'))
    expect(report.schemaMinor).toBe(4)
    expect(report.builds).toEqual({
      head: { seconds: expect.any(Number), steps: 3, cachedSteps: 0, failed: false },
      base: { seconds: expect.any(Number), steps: 3, cachedSteps: 1, failed: false },
    })
    // The log says each time as it goes; the built images are gone afterwards.
    expect(run.stdout).toMatch(
      /^Built image-size-gate-build:\S+-base in \d+\.\d s, 1 of 3 steps cached$/m,
    )
    const tag = `image-size-gate-build:isg-cache-e2e-times-${TOKEN}-head`
    expect(() => dockerCli(classic, ['image', 'inspect', tag])).toThrow()
    expectNoStackTrace(run)
  }, 200_000)

  test('2: cache-to without buildx fails before building, with one clear line', async () => {
    const run = await runBuild('cache-to', { 'cache-to': 'type=gha,mode=max' })
    expectExit(run, 1)
    expect(workflowCommands(run.stdout, 'error')).toEqual([
      'Input "cache-to" ("type=gha,mode=max") needs docker buildx, which this docker CLI does not have: add docker/setup-buildx-action before this step, or remove cache-to.',
    ])
    expect(run.stdout).not.toMatch(/docker (buildx )?build |Step 1\//)
    expectNoStackTrace(run)
  })

  test('3: every bad cache entry is its own line, with the other bad inputs', async () => {
    const run = await runBuild('bad', {
      'cache-from': 'type=registry\nNot A Ref',
      'cache-to': 'app:cache',
      'build-args': 'NOPE',
    })
    expectExit(run, 1)
    expect(workflowCommands(run.stdout, 'error')[0]?.split('\n')).toEqual([
      'Input "build-args" has the value "NOPE"; expected build-args: "NOPE" is not KEY=VALUE.',
      'Input "cache-from" has the value "type=registry"; expected type=registry with ref=….',
      'Input "cache-from" has the value "Not A Ref"; expected an image reference such as ghcr.io/org/app:cache, or type=….',
      'Input "cache-to" has the value "app:cache"; expected a cache to write: type=registry, type=local, type=gha, type=inline, type=s3, type=azblob with its attributes (type=registry,ref=IMAGE), not a plain reference.',
    ])
    expectNoStackTrace(run)
  })

  test('4: with buildx (Docker 26, containerd store) cache-to is written by the PR build', async () => {
    const cache = join(scratch, 'buildx-cache')
    const run = await runBuild(
      'buildx',
      { 'cache-to': `type=local,dest=${cache},mode=max` },
      { DOCKER_HOST: containerd.host, DOCKER_CONFIG: BUILDX_CONFIG },
    )
    expectExit(run, 0)
    expect(run.stdout).toMatch(
      new RegExp(`^docker buildx build --load .*--cache-to type=local,dest=${cache},mode=max`, 'm'),
    )
    expect(existsSync(join(cache, 'index.json'))).toBe(true)
    expect(run.summary).toMatch(
      /Build times: PR image \d+\.\d s \(\d of 3 steps from the cache\), base image /,
    )
    expectNoStackTrace(run)
  }, 200_000)
})
