import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { editLegacy, editOci, type Doc } from '../sources/archive/edit-layouts.js'
import { ociLayout } from '../sources/archive/layouts.js'
import { ROOT } from '../support/engines.js'
import { type FakeGitHub } from '../support/fake-github.js'
import {
  ensureBundle,
  pullRequestEvent,
  runAction,
  useFakeGitHub,
  workflowCommands,
  type ActionResult,
} from '../support/run-action.js'
import { expectExit, expectNoStackTrace } from './expect-run.js'

/**
 * Archives whose JSON has fields of the wrong type or paths out of the archive, through the
 * built action (`node dist/index.js`) and the built CLI (`node dist/cli.js`): one line that names
 * the role (base or PR image), the archive, the document and the field; no stack trace.
 */

let fake: FakeGitHub
let scratch: string
let badConfig: string
let escapingBase: string
let badIndexDir: string

beforeAll(async () => {
  await ensureBundle()
  scratch = mkdtempSync(join(tmpdir(), 'isg-data-e2e-'))
  badConfig = join(scratch, 'pr-bad-config.tar')
  writeFileSync(
    badConfig,
    await editLegacy('config', (c) => void ((c.history as Doc[])[1].created_by = 42)),
  )
  escapingBase = join(scratch, 'base-escaping.tar')
  writeFileSync(
    escapingBase,
    await editLegacy('manifest', (m) => void ((m as unknown as Doc[])[0].Config = '../../x.json')),
  )
  badIndexDir = join(scratch, 'pr-layout')
  const layout = editOci(await ociLayout(false), 'index', (i) => {
    ;(i.manifests as Doc[])[0].platform = { os: 1, architecture: 'amd64' }
  })
  for (const [path, data] of layout) {
    mkdirSync(dirname(join(badIndexDir, path)), { recursive: true })
    writeFileSync(join(badIndexDir, path), data)
  }
})

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true })
})

useFakeGitHub((f) => (fake = f))

function runOnPr(number: number, base: string, head: string): Promise<ActionResult> {
  return runAction({
    inputs: { 'base-image': base, 'head-image': head },
    event: pullRequestEvent(number),
    api: fake.url,
  })
}

function cli(base: string, head: string) {
  return spawnSync('node', [join(ROOT, 'dist/cli.js'), 'compare', base, head], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  })
}

const STACK = /^\s+at .+:\d+:\d+\)?$/m

describe('malformed archives through the built action', () => {
  test('a PR config with a number for history[].created_by', async () => {
    const run = await runOnPr(
      801,
      'docker-archive:examples/base.tar',
      `docker-archive:${badConfig}`,
    )
    expectExit(run, 1)
    const errors = workflowCommands(run.stdout, 'error')
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(
      /^The PR image docker-archive:\S+pr-bad-config\.tar has an invalid config [0-9a-f]{64}\.json: history\[1\]\.created_by is a number, expected a string$/,
    )
    expectNoStackTrace(run)
    expect(fake.state.requests).toEqual([])
  })

  test('a base archive whose manifest.json points outside it', async () => {
    const run = await runOnPr(
      802,
      `docker-archive:${escapingBase}`,
      'docker-archive:examples/pr.tar',
    )
    expectExit(run, 1)
    const errors = workflowCommands(run.stdout, 'error')
    expect(errors).toEqual([
      `The base image docker-archive:${escapingBase}: manifest.json Config: path "../../x.json" points outside the archive`,
    ])
    expectNoStackTrace(run)
  })
})

describe('malformed archives through the built CLI', () => {
  test('a PR config with a number for history[].created_by: exit 3, one line', () => {
    const run = cli('docker-archive:examples/base.tar', `docker-archive:${badConfig}`)
    expect(run.status).toBe(3)
    expect(run.stderr).toMatch(
      /^image-size-gate: The PR image docker-archive:\S+ has an invalid config [0-9a-f]{64}\.json: history\[1\]\.created_by is a number, expected a string\n$/,
    )
    expect(run.stderr).not.toMatch(STACK)
    expect(run.stdout).toBe('')
  })

  test('an OCI layout whose index gives a number for platform.os: exit 3, one line', () => {
    const run = cli('docker-archive:examples/base.tar', `oci:${badIndexDir}`)
    expect(run.status).toBe(3)
    expect(run.stderr).toBe(
      `image-size-gate: The PR image oci:${badIndexDir} has an invalid index.json: manifests[0].platform.os is a number, expected a string\n`,
    )
  })

  test('the base archive is named as the base', () => {
    const run = cli(`docker-archive:${escapingBase}`, 'docker-archive:examples/pr.tar')
    expect(run.status).toBe(3)
    expect(run.stderr).toBe(
      `image-size-gate: The base image docker-archive:${escapingBase}: manifest.json Config: path "../../x.json" points outside the archive\n`,
    )
  })
})
