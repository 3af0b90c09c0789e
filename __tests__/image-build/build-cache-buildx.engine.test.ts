import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  buildBaseAndHead,
  buildImage,
  cleanupBuiltImages,
  type BuildSpec,
} from '../../src/image-build/index.js'
import { runCommand } from '../../src/action/run-command.js'
import type { Logger } from '../../src/util/log.js'
import { buildFixtures, ENGINES } from '../support/engines.js'
import { makeDockerfileRepo } from './git-fixture.js'

/**
 * Build mode with buildx (BuildKit) on the Docker 26 engine, whose containerd image store lets
 * the docker driver export caches. scripts/testbed.sh unpacks Debian's docker-buildx into a
 * config directory of its own (ISG_BUILDX_CONFIG), so only builds given DOCKER_CONFIG see it.
 */
const containerd = ENGINES[1]!
const BUILDX_CONFIG = process.env.ISG_BUILDX_CONFIG ?? '/tmp/isg-buildx/config'
const TOKEN = `${process.pid}-${Date.now()}`
const SHARED = [
  'FROM isg-fixture/busybox:1',
  `RUN echo shared-${TOKEN} > /shared.txt && sleep 1`,
  'RUN head -c 1000000 /dev/zero > /shared.bin',
]
const env = { DOCKER_HOST: containerd.host, DOCKER_CONFIG: BUILDX_CONFIG }

function recorder(): Logger & { lines: string[] } {
  const lines: string[] = []
  const add = (level: string) => (message: string) => lines.push(`${level}: ${message}`)
  return { lines, debug: add('debug'), info: add('info'), warning: add('warning') }
}

let scratch: string
const built: string[] = []

beforeAll(() => {
  if (!existsSync(join(BUILDX_CONFIG, 'cli-plugins', 'docker-buildx')))
    throw new Error(`No buildx plugin in ${BUILDX_CONFIG}: run scripts/testbed.sh up`)
  buildFixtures(containerd)
  scratch = mkdtempSync(join(tmpdir(), 'isg-build-cache-buildx-'))
})

afterAll(async () => {
  await cleanupBuiltImages(built, { log: recorder(), env, runCommand })
  rmSync(scratch, { recursive: true, force: true })
})

describe('with buildx on the containerd engine', () => {
  const cacheDir = () => join(scratch, 'cache')

  it('1: passes cache-to to the PR build only, and the base takes the shared steps', async () => {
    const repo = makeDockerfileRepo(
      scratch,
      'repo',
      [...SHARED, `RUN echo base-${TOKEN} > /side.txt`],
      [...SHARED, `RUN echo head-${TOKEN} > /side.txt`],
    )
    const spec: BuildSpec = {
      context: '.',
      buildArgs: {},
      network: 'host',
      cacheTo: [{ text: `type=local,dest=${cacheDir()},mode=max`, type: 'local' }],
    }
    const log = recorder()
    const runId = `isg-buildx-${TOKEN}`
    const options = { workspace: repo.dir, baseSha: repo.baseSha, runId, log, env, runCommand }
    const result = await buildBaseAndHead(spec, options)
    built.push(result.head)
    if (!('tag' in result.base)) throw new Error(`base failed: ${result.base.failed}`)
    built.push(result.base.tag)
    const commands = log.lines.filter((l) => l.startsWith('info: docker buildx build'))
    expect(commands).toHaveLength(2)
    expect(commands[0]).toContain(`--cache-to type=local,dest=${cacheDir()},mode=max`)
    expect(commands[1]).not.toContain('--cache-to')
    expect(existsSync(join(cacheDir(), 'index.json'))).toBe(true)
    // The PR build ran every RUN step (BuildKit may call the FROM of a local image CACHED);
    // the base build took both shared RUN steps from it.
    const head = result.times?.head
    expect(head?.steps).toBe(4)
    expect(head?.cachedSteps).toBeLessThanOrEqual(1)
    expect(result.times?.base?.steps).toBe(4)
    expect(result.times?.base?.cachedSteps).toBeGreaterThanOrEqual(2)
    const baseLog = log.lines.slice(log.lines.indexOf(commands[1]!))
    const cached = (step: string) => {
      const vertex = baseLog
        .map((l) => new RegExp(`^info: #(\\d+) \\[${step}\\] RUN`).exec(l)?.[1])
        .find(Boolean)
      return baseLog.includes(`info: #${vertex} CACHED`)
    }
    expect([cached('2/4'), cached('3/4'), cached('4/4')]).toEqual([true, true, false])
    process.stdout.write(
      `buildx on containerd: head ${result.times?.head?.seconds} s, base ${result.times?.base?.seconds} s (${result.times?.base?.cachedSteps}/4 cached)\n`,
    )
  })

  it('2: reads a cache-from line as written (BuildKit imports the local cache)', async () => {
    const repo = makeDockerfileRepo(scratch, 'again', SHARED.slice(0, 1), SHARED)
    const log = recorder()
    const tag = `isg-buildx-from:${TOKEN}`
    const spec: BuildSpec = {
      context: '.',
      buildArgs: {},
      network: 'host',
      cacheFrom: [{ text: `type=local,src=${cacheDir()}`, type: 'local' }],
    }
    const result = await buildImage(spec, { cwd: repo.dir, tag, log, env, runCommand })
    built.push(tag)
    expect(result.ok).toBe(true)
    expect(log.lines.join('\n')).toMatch(/importing cache manifest from local/)
    expect(result.time?.cachedSteps).toBeGreaterThanOrEqual(2)
  })
})
