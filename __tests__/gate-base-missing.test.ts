import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { runGate } from '../src/gate.js'
import { parseOptions, type GateOptions } from '../src/options.js'
import { InputError, UserError } from '../src/util/errors.js'
import type { Logger } from '../src/util/log.js'
import { multiPlatformLayout, ociLayout } from './sources/archive/layouts.js'

// What counts as a missing base image, and what `base-missing` makes of it (issue 6, item 7).
// The images are the example archives: read from disk, no engine.

const BUILD_FAILED = 'base build failed: no Dockerfile in the base commit 1a2b3c4'

function options(raw: Record<string, string>, extra: Partial<GateOptions> = {}): GateOptions {
  return { ...parseOptions({ 'head-image': 'docker-archive:examples/pr.tar', ...raw }), ...extra }
}

function gate(opts: GateOptions) {
  const warnings: string[] = []
  const log: Logger = { debug() {}, info() {}, warning: (m) => warnings.push(m) }
  return { warnings, run: runGate(opts, { log }) }
}

describe('parseOptions: base-missing', () => {
  it.each([
    [1, undefined, 'no-baseline'],
    [2, '', 'no-baseline'],
    [3, ' fail ', 'fail'],
    [4, 'no-baseline', 'no-baseline'],
  ])('%i: %j is %s', (_n, value, expected) => {
    const raw: Record<string, string> = value === undefined ? {} : { 'base-missing': value }
    expect(options(raw).baseMissing).toBe(expected)
  })

  it.each([
    [5, 'warn'],
    [6, 'FAIL'],
    [7, 'true'],
  ])('%i: %j is one input error', (_n, value) => {
    expect(() => options({ 'base-missing': value })).toThrow(
      new InputError([{ input: 'base-missing', value, expected: '"no-baseline" or "fail"' }]),
    )
  })
})

describe('runGate: a missing base image', () => {
  it.each([
    [
      1,
      { 'base-image': 'docker-archive:examples/isg-docs-none.tar' },
      {},
      /isg-docs-none\.tar does not exist/,
    ],
    [2, {}, {}, /^no base image was given$/],
    [3, {}, { noBaseline: BUILD_FAILED }, /^base build failed: no Dockerfile/],
  ])(
    '%i: by default, is a report without a baseline that says why',
    async (_n, raw, extra, why) => {
      const { run } = gate(options(raw, extra))
      const report = await run
      expect(report.verdict).toBe('pass')
      expect(report.entries[0].comparison.noBaseline).toMatch(why)
    },
  )

  it.each([
    [
      4,
      { 'base-image': 'docker-archive:examples/isg-docs-none.tar' },
      {},
      'The base image docker-archive:examples/isg-docs-none.tar: the file examples/isg-docs-none.tar does not exist',
    ],
    [5, {}, {}, 'no base image was given'],
    [6, {}, { noBaseline: BUILD_FAILED }, BUILD_FAILED],
  ])(
    '%i: with base-missing fail, is an error giving the reason',
    async (_n, raw, extra, reason) => {
      const { run, warnings } = gate(options({ ...raw, 'base-missing': 'fail' }, extra))
      await expect(run).rejects.toThrow(
        new UserError(
          `No base image to compare with: ${reason}. base-missing is "fail", so this is an error (set it to "no-baseline" to compare without a baseline).`,
        ),
      )
      expect(warnings).toEqual([]) // no "comparing without a baseline" when it does not
    },
  )

  it('7: with base-missing fail, a missing PR image is still the error reported', async () => {
    const { run } = gate(
      options({
        'head-image': 'docker-archive:examples/isg-docs-no-pr.tar',
        'base-image': 'docker-archive:examples/isg-docs-none.tar',
        'base-missing': 'fail',
      }),
    )
    await expect(run).rejects.toThrow(/isg-docs-no-pr\.tar does not exist/)
  })

  it('8: with base-missing fail, a base that exists is compared', async () => {
    const { run } = gate(
      options({ 'base-image': 'docker-archive:examples/base.tar', 'base-missing': 'fail' }),
    )
    const report = await run
    expect(report.entries[0].comparison.noBaseline).toBeUndefined()
    expect(report.entries[0].comparison.totals.deltaBytes).toBeGreaterThan(0)
  })
})

describe('runGate: a platform the base image lacks', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'isg-docs-platforms-'))
    for (const [name, layout] of [
      ['base', await ociLayout(false)],
      ['head', await multiPlatformLayout()],
    ] as const) {
      for (const [path, data] of layout) {
        await mkdir(dirname(join(dir, name, path)), { recursive: true })
        await writeFile(join(dir, name, path), data)
      }
    }
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  const raw = () => ({
    'base-image': `oci:${join(dir, 'base')}`,
    'head-image': `oci:${join(dir, 'head')}`,
    platforms: 'linux/amd64,linux/arm64',
  })

  it('9: by default, is no baseline for that platform only', async () => {
    const report = await gate(options(raw())).run
    expect(report.entries.map((e) => [e.label, e.comparison.noBaseline !== undefined])).toEqual([
      ['linux/amd64', false],
      ['linux/arm64', true],
    ])
  })

  it('10: with base-missing fail, is an error naming the platform', async () => {
    await expect(gate(options({ ...raw(), 'base-missing': 'fail' })).run).rejects.toThrow(
      /^No base image to compare with for linux\/arm64: .*base-missing is "fail"/,
    )
  })
})
