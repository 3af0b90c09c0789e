import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { makeDockerfileRepo, worktreeCount } from '../image-build/git-fixture.js'
import {
  AUTH_PASS,
  AUTH_REGISTRY,
  AUTH_USER,
  buildFixtures,
  dockerCli,
  ENGINES,
  historySizes,
  ROOT,
  historyTotal,
  FIXTURE_BASE,
  FIXTURE_HEAD,
} from '../support/engines.js'
import { type FakeGitHub } from '../support/fake-github.js'
import {
  dockerLogin,
  getManifest,
  pushImage,
  tempDockerConfig,
  type RawManifest,
} from '../support/registry-tools.js'
import {
  ensureBundle,
  pullRequestEvent,
  runAction,
  workflowCommands,
  type ActionResult,
  type RunActionOptions,
  useFakeGitHub,
} from '../support/run-action.js'
import { expectExit, expectNoStackTrace } from './expect-run.js'

/**
 * `node dist/index.js` as the runner runs it, reading images from each kind of source: built
 * from a git history, a registry with no engine in reach, and `docker save` archives.
 */

const [classic, containerd] = ENGINES
const BASE = FIXTURE_BASE
const HEAD = FIXTURE_HEAD
const NO_ENGINE = 'unix:///tmp/isg-no-engine-here.sock'

let fake: FakeGitHub
let scratch: string
let baseBytes: number
let headBytes: number

const sum = (numbers: number[]) => numbers.reduce((a, b) => a + b, 0)

beforeAll(async () => {
  await ensureBundle()
  buildFixtures(classic)
  buildFixtures(containerd)
  baseBytes = historyTotal(classic, BASE)
  headBytes = historyTotal(classic, HEAD)
  scratch = mkdtempSync(join(tmpdir(), 'isg-e2e-sources-'))
})

useFakeGitHub((f) => (fake = f))

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true })
})

function runOnPr(
  number: number,
  inputs: Record<string, string>,
  options: RunActionOptions = {},
): Promise<ActionResult> {
  return runAction({ inputs, event: pullRequestEvent(number), api: fake.url, ...options })
}

/** The body of the one comment on PR #number. */
function commentOn(number: number): string {
  const comments = fake.state.comments.filter((c) => c.issueNumber === number)
  expect(comments).toHaveLength(1)
  return comments[0].body
}

/** `docker image ls` tags of the build source's repository, e.g. image-size-gate-build:1-size-head. */
function builtTags(): string[] {
  const out = dockerCli(classic, [
    'image',
    'ls',
    '--format',
    '{{.Repository}}:{{.Tag}}',
    'image-size-gate-build',
  ])
  return out.split('\n').filter(Boolean)
}

/** The runner is told to mask the secret, and it is printed nowhere else. */
function expectMasked(run: ActionResult, secret: string): void {
  const lines = run.stdout.split('\n')
  expect(lines).toContain(`::add-mask::${secret}`)
  expect(lines.filter((l) => !l.startsWith('::add-mask::') && l.includes(secret))).toEqual([])
  expect(run.stderr).not.toContain(secret)
}

/**
 * Removes the stopped containers whose command has `marker`; returns how many there were. The
 * classic builder keeps the container of a failed RUN unless it is given --force-rm.
 */
function removeFailedBuildContainers(marker: string): number {
  const rows = dockerCli(classic, ['ps', '-a', '--no-trunc', '--format', '{{.ID}} {{.Command}}'])
  const ids = rows
    .split('\n')
    .filter((row) => row.includes(marker))
    .map((row) => row.split(' ')[0])
  if (ids.length > 0) dockerCli(classic, ['rm', ...ids])
  return ids.length
}

/** A pull_request run in build mode: GITHUB_WORKSPACE is the repo, base.sha its first commit. */
function runBuild(
  number: number,
  repo: { dir: string; baseSha: string },
  runId: string,
  inputs: Record<string, string> = {},
) {
  const event = pullRequestEvent(number)
  const pr = event.payload.pull_request as { base: { sha: string } }
  pr.base.sha = repo.baseSha
  return runAction({
    inputs: { context: '.', 'build-network': 'host', 'max-increase': '1MB', ...inputs },
    event,
    api: fake.url,
    env: { GITHUB_WORKSPACE: repo.dir, GITHUB_RUN_ID: runId },
    timeoutMs: 180_000,
  })
}

describe('1. build mode: the PR from the workspace, the base from its base commit', () => {
  const FROM = 'FROM isg-fixture/busybox:1'
  const GROW = 'RUN head -c 2000000 /dev/urandom > /big.bin'

  test('a 2 MB RUN fails max-increase 1MB; built images and the worktree are removed', async () => {
    const base = [FROM, 'RUN echo hello > /hello.txt']
    const repo = makeDockerfileRepo(scratch, 'grows', base, [...base, GROW])
    const runId = `isg-e2e-${process.pid}-grows`
    const run = await runBuild(201, repo, runId)
    expectExit(run, 1)
    expect(run.outputs).toMatchObject({ verdict: 'fail', 'size-delta': expect.any(String) })
    expect(Number(run.outputs['size-delta'])).toBeGreaterThanOrEqual(2_000_000)
    expect(Number(run.outputs['size-delta'])).toBeLessThan(2_005_000)
    const body = commentOn(201)
    expect(body).toContain('**+2.00 MB**')
    expect(body).toContain('max-increase')
    expect(workflowCommands(run.stdout, 'error')).toEqual([
      expect.stringMatching(/^Image size budget exceeded: max-increase /),
    ])
    expect(builtTags().filter((t) => t.includes(runId))).toEqual([])
    expect(worktreeCount(repo.dir)).toBe(1)
    expectNoStackTrace(run)
  })

  test('head-image given: only the base is built, from the base commit', async () => {
    const base = [FROM, 'RUN echo hello > /hello.txt']
    const repo = makeDockerfileRepo(scratch, 'base-only', base, [...base, GROW])
    const runId = `isg-e2e-${process.pid}-base-only`
    // The PR image built "earlier in the job", as docker/build-push-action would.
    const headTag = `isg-e2e/base-only:${process.pid}`
    dockerCli(classic, ['build', '--quiet', '--network', 'host', '-t', headTag, repo.dir])
    try {
      const run = await runBuild(204, repo, runId, { 'head-image': `docker-daemon:${headTag}` })
      expectExit(run, 1)
      expect(Number(run.outputs['size-delta'])).toBeGreaterThanOrEqual(2_000_000)
      expect(Number(run.outputs['size-delta'])).toBeLessThan(2_005_000)
      expect(run.stdout).toContain('Building the base image from')
      expect(run.stdout).not.toContain("Building the pull request's image")
      expect(builtTags().filter((t) => t.includes(runId))).toEqual([])
      expect(worktreeCount(repo.dir)).toBe(1)
    } finally {
      dockerCli(classic, ['rmi', headTag])
    }
  })

  test('a base commit that does not build: no baseline, its build log folded away', async () => {
    const boom = `isg-base-boom-${process.pid}`
    const broken = [FROM, `RUN echo ${boom}-$((6*7)) && exit 1`]
    const repo = makeDockerfileRepo(scratch, 'broken-base', broken, [FROM, GROW])
    const runId = `isg-e2e-${process.pid}-broken`
    let leftContainers = -1
    const run = await runBuild(202, repo, runId).finally(() => {
      leftContainers = removeFailedBuildContainers(boom)
    })
    expectExit(run, 0)
    expect(run.outputs).toMatchObject({ verdict: 'pass', 'base-size': '', 'size-delta': '' })
    const body = commentOn(202)
    expect(body).toContain('No baseline')
    expect(body).toContain('base build failed')
    const details =
      /<details><summary>Base build log, last lines<\/summary>\n\n(`{3,})text\n([\s\S]*?)\n\1\n\n<\/details>/.exec(
        body,
      )
    expect(details).not.toBeNull()
    expect(details?.[2]).toContain(`${boom}-42`)
    expect(details?.[2]).toMatch(/returned a non-zero code: 1/)
    expect(builtTags().filter((t) => t.includes(runId))).toEqual([])
    expect(worktreeCount(repo.dir)).toBe(1)
    expect(leftContainers).toBe(0)
    expectNoStackTrace(run)
  })
})

describe('2. a registry, with no engine in reach (DOCKER_HOST is a dead socket)', () => {
  const repository = 'isg/sources-e2e'
  const tags = { base: `base-${process.pid}`, pr: `pr-${process.pid}` }
  const auth = { user: AUTH_USER, pass: AUTH_PASS }
  const ref = (tag: string) => `docker://${AUTH_REGISTRY}/${repository}:${tag}`
  const inputs = {
    'base-image': ref(tags.base),
    'head-image': ref(tags.pr),
    'registry-username': AUTH_USER,
    'registry-password': AUTH_PASS,
  }

  beforeAll(() => {
    const config = tempDockerConfig()
    try {
      dockerLogin(classic, config.dir, AUTH_REGISTRY, auth)
      pushImage(classic, config.dir, BASE, `${AUTH_REGISTRY}/${repository}:${tags.base}`)
      pushImage(classic, config.dir, HEAD, `${AUTH_REGISTRY}/${repository}:${tags.pr}`)
    } finally {
      config.remove()
    }
  })

  test('compressed: the manifests’ layer sizes, and the PR layers the base lacks', async () => {
    const [base, pr] = await Promise.all(
      [tags.base, tags.pr].map((t) => getManifest<RawManifest>(AUTH_REGISTRY, repository, t, auth)),
    )
    const have = new Set(base.json.layers.map((l) => l.digest))
    const fresh = new Map(
      pr.json.layers.filter((l) => !have.has(l.digest)).map((l) => [l.digest, l]),
    )
    expect(fresh.size).toBeGreaterThan(0)
    expect(fresh.size).toBeLessThan(pr.json.layers.length)

    const run = await runOnPr(
      211,
      { ...inputs, 'size-basis': 'compressed' },
      {
        env: { DOCKER_HOST: NO_ENGINE },
      },
    )
    expectExit(run, 0)
    const headCompressed = sum(pr.json.layers.map((l) => l.size))
    expect(run.outputs).toMatchObject({
      'base-compressed-size': String(sum(base.json.layers.map((l) => l.size))),
      'head-compressed-size': String(headCompressed),
      'new-pull-bytes': String(sum([...fresh.values()].map((l) => l.size))),
      'head-size': String(headCompressed),
    })
    expect(commentOn(211)).toContain('compressed')
    expectMasked(run, AUTH_PASS)
  })

  test('uncompressed (default): blobs streamed, sizes equal the classic engine’s history', async () => {
    const run = await runOnPr(212, inputs, { env: { DOCKER_HOST: NO_ENGINE } })
    expectExit(run, 0)
    expect(run.outputs).toMatchObject({
      'base-size': String(baseBytes),
      'head-size': String(headBytes),
      'size-delta': String(headBytes - baseBytes),
    })
    expectMasked(run, AUTH_PASS)
  })
})

describe('3. docker save archives', () => {
  const saved: Record<string, string> = {}

  beforeAll(() => {
    for (const engine of [classic, containerd]) {
      for (const [side, reference] of Object.entries({ base: BASE, pr: HEAD })) {
        const path = join(scratch, `${engine.name}-${side}.tar`)
        dockerCli(engine, ['save', '-o', path, reference])
        saved[`${engine.name}-${side}`] = path
      }
    }
  })

  test.each([
    ['containerd', 'classic'],
    ['classic', 'containerd'],
  ])('base saved by the %s engine, PR by the %s engine', async (baseEngine, prEngine) => {
    const run = await runOnPr(221, {
      'base-image': `docker-archive:${saved[`${baseEngine}-base`]}`,
      'head-image': `docker-archive:${saved[`${prEngine}-pr`]}`,
    })
    expectExit(run, 0)
    expect(run.outputs).toMatchObject({
      'base-size': String(baseBytes),
      'head-size': String(headBytes),
      verdict: 'pass',
    })
  })

  test('the README’s example archives: sizes of the same images loaded into the classic engine', async () => {
    const expected: Record<string, number> = {}
    for (const side of ['base', 'pr']) {
      const tag = `image-size-gate-example/app:${side}`
      const had = spawnSync('docker', ['image', 'inspect', tag], {
        env: { ...process.env, DOCKER_HOST: classic.host },
      })
      dockerCli(classic, ['load', '-q', '-i', join(ROOT, `examples/${side}.tar`)])
      expected[side] = sum(historySizes(classic, tag))
      if (had.status !== 0) dockerCli(classic, ['rmi', tag])
    }
    const run = await runOnPr(222, {
      'base-image': 'docker-archive:examples/base.tar',
      'head-image': 'docker-archive:examples/pr.tar',
    })
    expectExit(run, 0)
    expect(run.outputs).toMatchObject({
      'base-size': String(expected.base),
      'head-size': String(expected.pr),
      'size-delta': String(expected.pr - expected.base),
    })
    expect(commentOn(222)).toContain('Layers that changed')
  })
})

describe('4. archives that are not there or not archives', () => {
  test('a missing base archive: no baseline, exit 0', async () => {
    const missing = join(scratch, 'no-such-base.tar')
    const run = await runOnPr(231, {
      'base-image': `docker-archive:${missing}`,
      'head-image': 'docker-archive:examples/pr.tar',
      'max-increase': '1MB',
    })
    expectExit(run, 0)
    expect(run.outputs).toMatchObject({ 'base-size': '', verdict: 'pass' })
    expect(commentOn(231)).toContain('No baseline')
    expect(commentOn(231)).toContain(`${missing} does not exist`)
    expectNoStackTrace(run)
  })

  test('a head “archive” that is not a tarball: exit 1, one clear line', async () => {
    const notTar = join(scratch, 'not-a-tarball.tar')
    writeFileSync(notTar, 'this is a text file, not an image archive\n'.repeat(40))
    const run = await runOnPr(232, {
      'base-image': 'docker-archive:examples/base.tar',
      'head-image': `docker-archive:${notTar}`,
    })
    expectExit(run, 1)
    const errors = workflowCommands(run.stdout, 'error')
    expect(errors).toHaveLength(1)
    expect(errors[0]).not.toContain('\n')
    expect(errors[0]).toMatch(/not a tar/)
    expectNoStackTrace(run)
    expect(fake.state.requests).toEqual([])
  })
})
