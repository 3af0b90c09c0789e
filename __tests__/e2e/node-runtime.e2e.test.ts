import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  dependencyOf,
  expectNoOwnDeprecations,
  findDeprecations,
  withoutDeprecationStacks,
} from '../support/deprecations.js'
import { ensureBundle, pushEvent, runAction } from '../support/run-action.js'

/**
 * The Node the bundle runs on in the tests, and what it says about deprecated APIs. `npm run
 * ci` runs this project twice: on the machine's Node and on Node 24 (scripts/test-node24.mjs);
 * the action's child must run on the same Node as Jest, and a deprecation warning from the
 * project's own code fails the run.
 */

const major = Number(/^v(\d+)\./.exec(process.version)?.[1])
let dir: string

beforeAll(async () => {
  await ensureBundle()
  dir = await mkdtemp(join(tmpdir(), 'isg-node-runtime-'))
})

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true })
})

/** A script outside node_modules (where Node reports deprecations), run as run-action runs the bundle. */
async function runScript(name: string, source: string) {
  const path = join(dir, name)
  await writeFile(path, source)
  const child = spawnSync(process.execPath, ['--trace-deprecation', path], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH }, // not Jest's NODE_OPTIONS (--throw-deprecation)
  })
  return child.stderr
}

describe('deprecation warnings', () => {
  test("a deprecated call from the project's own code fails the run, named with its stack", async () => {
    const stderr = await runScript(
      'own-code.mjs',
      "export function readSize() { return new Buffer(4).length }\nreadSize()\nprocess.emitWarning('old option', 'DeprecationWarning')\n",
    )
    const found = findDeprecations(stderr)
    expect(found.map((d) => [d.code, dependencyOf(d)])).toEqual([
      ['DEP0005', undefined],
      ['', undefined],
    ])
    expect(found[0].stack).toEqual(
      expect.arrayContaining([expect.stringMatching(/^at readSize \(file:.*own-code\.mjs:1:/)]),
    )
    expect(() => expectNoOwnDeprecations(stderr, 'own-code.mjs')).toThrow(
      /own-code\.mjs printed 2 deprecation warning\(s\)[\s\S]*\[DEP0005\] Buffer\(\)[\s\S]*from readSize[\s\S]*\[no code\] old option/,
    )
    expect(withoutDeprecationStacks(stderr)).not.toMatch(/^\s+at /m)
    expect(withoutDeprecationStacks(stderr)).toMatch(/\[DEP0005\] DeprecationWarning: Buffer\(\)/)
  })

  test("docker-modem's url.parse() in the bundle is known as the dependency's, on the Node of this run", async () => {
    // DOCKER_HOST=ssh:// makes docker-modem's Modem.dial call url.parse(), which Node 24 reports
    // (DEP0169) for callers outside node_modules (the bundle is), and url.resolve() on the
    // invalid "ssh:127.0.0.1:1127.0.0.1" it formats (DEP0170, Node 20 and 24).
    const run = await runAction({
      event: pushEvent(),
      inputs: { 'head-image': 'isg-cli/absent:1', comment: 'false' },
      env: { DOCKER_HOST: 'ssh://isg@127.0.0.1:1' },
    })
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(
      /::error::The PR image isg-cli\/absent:1: Cannot reach the Docker engine at ssh:\/\/127\.0\.0\.1:1/,
    )
    const found = findDeprecations(run.stderr)
    // run-action.ts failed the run already for any deprecation not from a known dependency.
    expect(found.map((d) => d.code)).toEqual(major >= 24 ? ['DEP0169', 'DEP0170'] : ['DEP0170'])
  })
})

describe('the Node of this run', () => {
  test('is the one npm run ci asked for', () => {
    const wanted = process.env.ISG_EXPECT_NODE_MAJOR
    if (wanted) expect(major).toBe(Number(wanted))
    expect(major).toBeGreaterThanOrEqual(20)
  })

  test("is first in PATH, so tests and tools that spawn 'node' get it too", () => {
    const node = spawnSync('node', ['-p', 'process.version'], { encoding: 'utf8' })
    expect(node.stdout.trim()).toBe(process.version)
  })
})
