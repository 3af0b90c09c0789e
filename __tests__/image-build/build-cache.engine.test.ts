import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  buildBaseAndHead,
  buildImage,
  cleanupBuiltImages,
  type BuildSpec,
  type CacheEntry,
} from '../../src/image-build/index.js'
import type { BuildTime } from '../../src/model/build-time.js'
import { runCommand } from '../../src/action/run-command.js'
import { UserError } from '../../src/util/errors.js'
import type { Logger } from '../../src/util/log.js'
import { buildFixtures, dockerCli, ENGINES, REGISTRY, type TestEngine } from '../support/engines.js'
import { makeDockerfileRepo } from './git-fixture.js'

/**
 * Build mode that does not rebuild the world (issue 10, item 7), on the real engines with the
 * testbed's docker CLI (no buildx: the classic builder). Every Dockerfile holds a token unique
 * to this run, so no earlier build in the engines' shared caches can make a step "cached".
 */
const [classic, containerd] = ENGINES
const TOKEN = `${process.pid}-${Date.now()}`
/** Steps both Dockerfiles share; the sleep makes a rebuilt step visible in the build time */
const SHARED = [
  'FROM isg-fixture/busybox:1',
  `RUN echo shared-${TOKEN} > /shared.txt && sleep 2`,
  'RUN head -c 1000000 /dev/zero > /shared.bin',
]
const BASE = [...SHARED, `RUN echo base-${TOKEN} > /side.txt`]
const HEAD = [...SHARED, `RUN echo head-${TOKEN} > /side.txt`]
/** A cache-from the user gave: with one, the classic builder reuses only those images' steps */
const USER_CACHE: CacheEntry = { text: 'isg-fixture/busybox:1', type: 'image' }

function recorder(): Logger & { lines: string[] } {
  const lines: string[] = []
  const add = (level: string) => (message: string) => lines.push(`${level}: ${message}`)
  return { lines, debug: add('debug'), info: add('info'), warning: add('warning') }
}

let scratch: string
const built: Array<[TestEngine, string]> = []
/** What each test measured, printed at the end (cold vs warm) */
const measured: string[] = []
const say = (what: string, time: BuildTime | undefined) =>
  measured.push(
    `${what}: ${time?.seconds.toFixed(2)} s, ${time?.cachedSteps}/${time?.steps} cached`,
  )

beforeAll(() => {
  buildFixtures(classic)
  buildFixtures(containerd)
  scratch = mkdtempSync(join(tmpdir(), 'isg-build-cache-'))
})

afterAll(async () => {
  for (const [engine, tag] of built)
    await cleanupBuiltImages([tag], {
      log: recorder(),
      env: { DOCKER_HOST: engine.host },
      runCommand,
    })
  rmSync(scratch, { recursive: true, force: true })
  process.stdout.write(`build times measured:\n  ${measured.join('\n  ')}\n`)
})

const spec = (cacheFrom: CacheEntry[]): BuildSpec => ({
  context: '.',
  buildArgs: {},
  network: 'host',
  cacheFrom,
})

describe.each([classic, containerd])(
  'the base build reuses the PR build on the $name engine',
  (engine) => {
    it('builds the PR image first, then the base with the shared steps from the cache', async () => {
      const repo = makeDockerfileRepo(scratch, `reuse-${engine.name}`, BASE, HEAD)
      const log = recorder()
      const runId = `isg-cache-${TOKEN}-${engine.name}`
      const env = { DOCKER_HOST: engine.host }
      const options = { workspace: repo.dir, baseSha: repo.baseSha, runId, log, env, runCommand }
      const result = await buildBaseAndHead(spec([USER_CACHE]), options)
      built.push([engine, result.head])
      if (!('tag' in result.base)) throw new Error(`base failed: ${result.base.failed}`)
      built.push([engine, result.base.tag])
      say(`${engine.name} head (cold)`, result.times?.head)
      say(`${engine.name} base after head (warm)`, result.times?.base)
      // The PR image was new to the engine: nothing cached. The base took both shared RUN steps
      // from it (the FROM step is never "cached" in the classic builder's words).
      expect(result.times?.head).toMatchObject({ steps: 4, cachedSteps: 0 })
      expect(result.times?.base).toMatchObject({ steps: 4, cachedSteps: 2 })
      const baseLog = log.lines.slice(log.lines.findIndex((l) => l.includes('Building the base')))
      const afterStep = (n: number) =>
        baseLog[baseLog.findIndex((l) => l.includes(`Step ${n}/4`)) + 1]
      expect([afterStep(2), afterStep(3), afterStep(4)]).toEqual([
        'info:  ---> Using cache',
        'info:  ---> Using cache',
        expect.not.stringContaining('Using cache'),
      ])
      // The PR image is the base build's first cache source, then the user's.
      expect(log.lines).toContainEqual(
        expect.stringMatching(
          /^info: docker build .*--cache-from image-size-gate-build:\S+-head --cache-from isg-fixture\/busybox:1 /,
        ),
      )
      // The shared sleep ran once: the base build is the quicker one.
      expect(result.times!.base!.seconds).toBeLessThan(result.times!.head!.seconds)
    })
  },
)

describe('without the PR image among the sources (the control)', () => {
  it('the classic builder given a cache-from runs the shared steps again', async () => {
    const dir = join(scratch, 'control')
    mkdirSync(dir)
    const token = `control-${TOKEN}`
    const lines = (side: string) =>
      [...SHARED, `RUN echo ${side} > /side.txt`].map((l) => l.replace(TOKEN, token))
    const log = recorder()
    const options = { cwd: dir, log, env: { DOCKER_HOST: classic.host }, runCommand }
    writeFileSync(join(dir, 'Dockerfile'), `${lines('head').join('\n')}\n`)
    const head = await buildImage(spec([USER_CACHE]), {
      ...options,
      tag: `isg-cache-ctl:${TOKEN}-head`,
    })
    built.push([classic, `isg-cache-ctl:${TOKEN}-head`])
    writeFileSync(join(dir, 'Dockerfile'), `${lines('base').join('\n')}\n`)
    const base = await buildImage(spec([USER_CACHE]), {
      ...options,
      tag: `isg-cache-ctl:${TOKEN}-base`,
    })
    built.push([classic, `isg-cache-ctl:${TOKEN}-base`])
    say('classic head (cold, control)', head.time)
    say('classic base after head, without reuse (cold)', base.time)
    expect(head.ok && base.ok).toBe(true)
    expect(base.time).toMatchObject({ steps: 4, cachedSteps: 0 })
  })
})

describe('cache-to without buildx', () => {
  it('fails before anything is built, with one line naming the input', async () => {
    const repo = makeDockerfileRepo(scratch, 'cache-to', BASE, HEAD)
    const log = recorder()
    const runId = `isg-cache-to-${TOKEN}`
    const buildSpec = { ...spec([]), cacheTo: [{ text: 'type=gha,mode=max', type: 'gha' }] }
    const options = { workspace: repo.dir, baseSha: repo.baseSha, runId, log, runCommand }
    const error = await buildBaseAndHead(buildSpec, {
      ...options,
      env: { DOCKER_HOST: classic.host },
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UserError)
    expect((error as Error).message).toBe(
      'Input "cache-to" ("type=gha,mode=max") needs docker buildx, which this docker CLI does not have: add docker/setup-buildx-action before this step, or remove cache-to.',
    )
    expect(log.lines.filter((l) => /docker (buildx )?build |Building/.test(l))).toEqual([])
    expect(() =>
      dockerCli(classic, ['image', 'inspect', `image-size-gate-build:${runId}-head`]),
    ).toThrow()
  })
})

describe('a registry cache read on another engine', () => {
  it('pulls the cache-from image and takes its steps (built on the classic engine, used on Docker 26)', async () => {
    // The FROM image comes from the registry too, as on CI: the steps above it can then match.
    const from = `${REGISTRY}/isg-build-cache-from:${TOKEN}`
    const cache = `${REGISTRY}/isg-build-cache:${TOKEN}`
    dockerCli(classic, ['tag', 'isg-fixture/busybox:1', from])
    dockerCli(classic, ['push', from])
    const dir = join(scratch, 'registry')
    mkdirSync(dir)
    const lines = [
      `FROM ${from}`,
      ...SHARED.slice(1).map((l) => l.replace(TOKEN, `registry-${TOKEN}`)),
    ]
    writeFileSync(join(dir, 'Dockerfile'), `${lines.join('\n')}\n`)
    const log = recorder()
    const first = await buildImage(
      { ...spec([]), buildArgs: { BUILDKIT_INLINE_CACHE: '1' } },
      { cwd: dir, tag: cache, log, env: { DOCKER_HOST: classic.host }, runCommand },
    )
    expect(first.ok).toBe(true)
    dockerCli(classic, ['push', cache])
    for (const tag of [from, cache]) built.push([classic, tag])
    const other = recorder()
    const tag = `isg-cache-reg:${TOKEN}`
    const second = await buildImage(
      { ...spec([{ text: cache, type: 'image' }]), buildArgs: { BUILDKIT_INLINE_CACHE: '1' } },
      { cwd: dir, tag, log: other, env: { DOCKER_HOST: containerd.host }, runCommand },
    )
    for (const t of [tag, cache, from]) built.push([containerd, t])
    say('classic, registry cache image (cold)', first.time)
    say('containerd, from the registry cache (warm)', second.time)
    expect(other.lines).toContain(`info: Pulling the cache image ${cache}`)
    expect(second).toMatchObject({ ok: true, time: { steps: 3, cachedSteps: 2 } })
  })
})
