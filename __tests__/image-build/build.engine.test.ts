import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  BuildError,
  buildBaseAndHead,
  cleanupBuiltImages,
  isBuildArgsError,
  parseBuildArgs,
  type BuildSpec,
} from '../../src/image-build/index.js'
import { runCommand } from '../../src/action/run-command.js'
import { UserError } from '../../src/util/errors.js'
import type { Logger } from '../../src/util/log.js'
import {
  buildFixtures,
  dockerCli,
  ENGINES,
  historySizes,
  type TestEngine,
} from '../support/engines.js'
import { git, makeGitFixture, shallowClone, worktreeCount, type GitFixture } from './git-fixture.js'

/** Building the PR and base images from a real git history on the real engines. */
const [classic, containerd] = ENGINES
const spec: BuildSpec = { context: '.', buildArgs: { GREETING: 'hello' }, network: 'host' }

function recorder(): Logger & { lines: string[] } {
  const lines: string[] = []
  const add = (level: string) => (message: string) => lines.push(`${level}: ${message}`)
  return { lines, debug: add('debug'), info: add('info'), warning: add('warning') }
}

function inspect(engine: TestEngine, tag: string): { Id: string; RootFS: { Layers: string[] } } {
  return JSON.parse(dockerCli(engine, ['image', 'inspect', tag]))[0]
}

function imageExists(engine: TestEngine, tag: string): boolean {
  try {
    dockerCli(engine, ['image', 'inspect', tag])
    return true
  } catch {
    return false
  }
}

let fixture: GitFixture
const built = new Map<TestEngine, string[]>()
const runId = (engine: TestEngine, name: string) => `T${process.pid}-${engine.name}-${name}`

async function build(
  engine: TestEngine,
  name: string,
  baseSha: string,
  { workspace = fixture.dir, buildSpec = spec } = {},
) {
  const log = recorder()
  const env = { DOCKER_HOST: engine.host }
  const options = { workspace, baseSha, runId: runId(engine, name), log, env, runCommand }
  const result = await buildBaseAndHead(buildSpec, options)
  built.set(engine, [...(built.get(engine) ?? []), result.head, `${result.head.slice(0, -5)}-base`])
  return { result, log }
}

beforeAll(() => {
  buildFixtures(classic)
  buildFixtures(containerd)
  fixture = makeGitFixture()
})

afterAll(async () => {
  fixture.cleanup()
  for (const [engine, tags] of built) {
    await cleanupBuiltImages(tags, {
      log: recorder(),
      env: { DOCKER_HOST: engine.host },
      runCommand,
    })
  }
  for (const [engine, tags] of built) {
    for (const tag of tags) expect(imageExists(engine, tag)).toBe(false)
  }
})

describe.each([classic, containerd])('base and head on the $name engine', (engine) => {
  it('builds the base from the first commit and the PR from the second', async () => {
    const { result, log } = await build(engine, 'main', fixture.commits.base)
    expect(result.head).toBe(`image-size-gate-build:${runId(engine, 'main').toLowerCase()}-head`)
    if (!('tag' in result.base)) throw new Error(`base failed: ${result.base.failed}`)
    const head = inspect(engine, result.head)
    const base = inspect(engine, result.base.tag)
    expect(head.RootFS.Layers).toHaveLength(base.RootFS.Layers.length + 1)
    expect(head.RootFS.Layers.slice(0, -1)).toEqual(base.RootFS.Layers)
    const headSizes = historySizes(engine, result.head)
    expect(headSizes.at(-1)).toBeGreaterThanOrEqual(2_000_000)
    expect(headSizes.slice(0, -1)).toEqual(historySizes(engine, result.base.tag))
    const createdBy = dockerCli(engine, [
      'history',
      '--no-trunc',
      '--format',
      '{{.CreatedBy}}',
      result.base.tag,
    ])
    expect(createdBy).toContain('GREETING=hello')
    expect(log.lines).toContain('info: Step 1/3 : FROM isg-fixture/busybox:1')
    expect(worktreeCount(fixture.dir)).toBe(1)
  })
})

describe('on the classic engine', () => {
  const engine = classic

  it('fetches the base commit into a --depth=1 clone first', async () => {
    const clone = shallowClone(fixture, 'shallow')
    expect(git(clone, ['rev-parse', '--is-shallow-repository'])).toBe('true')
    expect(() => git(clone, ['cat-file', '-e', `${fixture.commits.base}^{commit}`])).toThrow()
    const { result, log } = await build(engine, 'shallow', fixture.commits.base, {
      workspace: clone,
    })
    expect(result.base).toEqual({ tag: expect.stringMatching(/-base$/), time: expect.anything() })
    expect(log.lines.join('\n')).toMatch(/is not in the checkout; fetching it from origin/)
    expect(worktreeCount(clone)).toBe(1)
  })

  it('fails clearly when the base commit cannot be fetched either', async () => {
    const clone = shallowClone(fixture, 'unfetchable')
    const missing = 'f'.repeat(40)
    const error = await build(engine, 'unfetchable', missing, { workspace: clone }).catch(
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(UserError)
    expect(String(error)).toMatch(
      /base commit f{40} is not in the checkout and could not be fetched/,
    )
    expect(worktreeCount(clone)).toBe(1)
  })

  it('reports a base whose Dockerfile does not build as failed, with the log tail', async () => {
    const { result } = await build(engine, 'broken', fixture.commits.broken)
    if ('tag' in result.base) throw new Error('the broken base built')
    expect(result.base.failed).toMatch(
      /^base build failed: The command .* returned a non-zero code: 1$/,
    )
    expect(result.base.logTail).toContain('isg-boom-42')
    expect(result.base.logTail.length).toBeLessThanOrEqual(20)
    expect(worktreeCount(fixture.dir)).toBe(1)
  })

  it('reports a base commit without a Dockerfile as failed, saying so', async () => {
    const { result, log } = await build(engine, 'nodockerfile', fixture.commits.noDockerfile)
    expect(result.base).toEqual({
      failed: `base build failed: there is no Dockerfile at Dockerfile in the base commit ${fixture.commits.noDockerfile.slice(0, 12)}`,
      logTail: [],
    })
    expect(log.lines.some((line) => line.startsWith('warning: base build failed'))).toBe(true)
    expect(worktreeCount(fixture.dir)).toBe(1)
  })

  it('throws a BuildError with the log tail when the PR image does not build', async () => {
    const log = recorder()
    const broken = { ...spec, dockerfile: 'broken.Dockerfile' }
    const options = {
      workspace: fixture.dir,
      baseSha: fixture.commits.base,
      runId: runId(engine, 'headfail'),
      log,
      runCommand,
    }
    const error = await buildBaseAndHead(broken, {
      ...options,
      env: { DOCKER_HOST: engine.host },
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(BuildError)
    expect((error as BuildError).message).toMatch(
      /^Building the pull request's image failed: The command/,
    )
    expect((error as BuildError).logTail).toContain('isg-boom-42')
    expect(worktreeCount(fixture.dir)).toBe(1)
  })

  it('rejects a bad build-args text before anything is built', () => {
    const parsed = parseBuildArgs('GREETING=hello\nNOT A PAIR')
    expect(isBuildArgsError(parsed)).toBe(true)
    expect(parsed.error).toBe('build-args: "NOT A PAIR" is not KEY=VALUE')
  })

  it('cleans up best effort, saying which image it could not remove', async () => {
    // A build arg of its own, so the image has no other tag (rmi would only untag it).
    const buildSpec = { ...spec, buildArgs: { GREETING: `cleanup-${process.pid}` } }
    const { result } = await build(engine, 'cleanup', fixture.commits.base, { buildSpec })
    const container = `isg-build-cleanup-${process.pid}`
    dockerCli(engine, ['create', '--name', container, '--network', 'none', result.head])
    const log = recorder()
    const env = { DOCKER_HOST: engine.host }
    try {
      await cleanupBuiltImages([result.head, 'image-size-gate-build:never-built'], {
        log,
        env,
        runCommand,
      })
    } finally {
      dockerCli(engine, ['rm', container])
    }
    expect(log.lines.filter((line) => line.startsWith('warning:'))).toEqual([
      expect.stringMatching(
        new RegExp(`^warning: Could not remove the image ${result.head}: .*conflict`, 'i'),
      ),
    ])
    expect(log.lines).toContain('debug: image-size-gate-build:never-built was already gone')
    await cleanupBuiltImages([result.head], { log, env, runCommand })
    expect(imageExists(engine, result.head)).toBe(false)
  })
})
