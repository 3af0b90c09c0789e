import { beforeAll, describe, expect, test } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import type { JsonReport } from '../../src/report/json-report.js'
import {
  buildFixtures,
  ENGINES,
  REGISTRY,
  ROOT,
  type TestEngine,
  historyTotal,
  FIXTURE_BASE,
  FIXTURE_HEAD,
} from '../support/engines.js'
import { expectNoOwnDeprecations } from '../support/deprecations.js'
import { ensureBundle } from '../support/run-action.js'

/**
 * The bundled CLI (`node dist/cli.js`, package.json's bin) against the real engines of
 * scripts/testbed.sh: exit codes, and each output format on the fixture pair.
 */

const [classic, containerd] = ENGINES
const BASE = FIXTURE_BASE
const HEAD = FIXTURE_HEAD

let baseBytes: number
let headBytes: number

beforeAll(async () => {
  await ensureBundle()
  buildFixtures(classic)
  buildFixtures(containerd)
  baseBytes = historyTotal(classic, BASE)
  headBytes = historyTotal(classic, HEAD)
})

function cli(args: string[], engine: TestEngine = classic) {
  const child = spawnSync(
    process.execPath,
    ['--trace-deprecation', join(ROOT, 'dist/cli.js'), ...args],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DOCKER_HOST: engine.host },
      encoding: 'utf8',
      timeout: 60_000,
    },
  )
  expectNoOwnDeprecations(child.stderr, 'node dist/cli.js')
  const run = { code: child.status, stdout: child.stdout, stderr: child.stderr }
  return { ...run, context: JSON.stringify(run, null, 2) }
}

describe('image-size-gate compare (dist/cli.js) on the fixture pair', () => {
  test('over budget: exit 1 and the text report', () => {
    const run = cli(['compare', BASE, HEAD, '--max-increase', '1MB'])
    expect([run.code, run.context]).toEqual([1, run.context])
    const lines = run.stdout.split('\n')
    expect(lines[0]).toBe('image-size-gate: FAIL')
    expect(run.stdout).toMatch(/^PR {4}isg-fixture\/app:pr {2}7\.99 MB/m)
    expect(run.stdout).toMatch(/^Base {2}isg-fixture\/app:base {2}3\.99 MB/m)
    expect(run.stdout).toContain('Change +4.00 MB (+100%), basis: uncompressed')
    expect(run.stdout).toMatch(/FAIL max-increase +limit \+1\.00 MB, actual \+4\.00 MB/)
    expect(run.stderr).not.toMatch(/\n\s+at /)
  })

  test.each([classic, containerd])(
    '--format json on the $name engine: schema 1, history sizes',
    (engine) => {
      const run = cli(['compare', BASE, HEAD, '--format', 'json'], engine)
      expect([run.code, run.context]).toEqual([0, run.context])
      const report = JSON.parse(run.stdout) as JsonReport
      expect(report.schemaVersion).toBe(1)
      expect(report.tool.name).toBe('image-size-gate')
      expect(report.verdict).toBe('pass')
      expect(report.entries).toHaveLength(1)
      expect(report.entries[0].totals).toMatchObject({
        baseBytes,
        headBytes,
        deltaBytes: headBytes - baseBytes,
      })
      expect(report.entries[0].head.store).toBe(engine.store)
    },
  )

  test('--format markdown: the comment body, headline first', () => {
    const run = cli(['compare', BASE, HEAD, '--format', 'markdown', '--max-increase', '1MB'])
    expect([run.code, run.context]).toEqual([1, run.context])
    expect(run.stdout.startsWith('### ')).toBe(true)
    expect(run.stdout).toContain('❌ Image size budget exceeded')
    expect(run.stdout).toContain('**Layers that changed**')
    expect(run.stdout).not.toContain('<!-- image-size-gate:')
  })

  test('within budget: exit 0', () => {
    const run = cli(['compare', BASE, HEAD, '--max-increase', '10MB', '--max-size', '1GB'])
    expect([run.code, run.context]).toEqual([0, run.context])
    expect(run.stdout.split('\n')[0]).toBe('image-size-gate: PASS')
  })

  test('a head image missing from the engine: exit 3, one line', () => {
    const run = cli(['compare', BASE, 'docker-daemon:isg-fixture/app:no-such-tag'])
    expect([run.code, run.context]).toEqual([3, run.context])
    expect(run.stdout).toBe('')
    expect(run.stderr).toBe(
      'image-size-gate: The PR image isg-fixture/app:no-such-tag is not in the Docker engine (docker-daemon: references are never pulled)\n',
    )
  })

  test('a head image missing from the engine and its registry: exit 3, one error line', () => {
    const missing = `${REGISTRY}/isg/no-such-image:1`
    const run = cli(['compare', BASE, missing])
    expect([run.code, run.context]).toEqual([3, run.context])
    expect(run.stdout).toBe('')
    const errors = run.stderr.split('\n').filter((line) => line.startsWith('image-size-gate:'))
    expect(errors).toEqual([
      expect.stringContaining(`The PR image ${missing} is neither in the engine`),
    ])
    expect(run.stderr).not.toMatch(/\n\s+at /)
  })
})
