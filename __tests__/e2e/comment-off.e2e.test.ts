import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ROOT } from '../support/engines.js'
import type { FakeGitHub } from '../support/fake-github.js'
import {
  ensureBundle,
  pullRequestEvent,
  runAction,
  useFakeGitHub,
  type ActionResult,
} from '../support/run-action.js'

/**
 * `comment: false` never loads Octokit: the bundled action runs on a pull request with a module
 * loader hook (node --import) that writes down every file of dist/ it loads. With comments off
 * no GitHub chunk is loaded and no request reaches the fake GitHub; the same run with comments
 * on loads them (so the hook can see a load).
 */

const BASE = `docker-archive:${join(ROOT, 'examples/base.tar')}`
const HEAD = `docker-archive:${join(ROOT, 'examples/pr.tar')}`
/** The bundle's chunks of the GitHub client (scripts/bundle.mjs splits each dynamic import). */
const GITHUB_CHUNKS = /\/dist\/chunks\/(github|octokit|publish-comment)-[A-Z0-9]+\.js$/

let fake: FakeGitHub
let dir: string

beforeAll(async () => {
  await ensureBundle()
  dir = await mkdtemp(join(tmpdir(), 'isg-inputs8-loads-'))
  await writeFile(
    join(dir, 'hook.mjs'),
    [
      "import { appendFileSync } from 'node:fs'",
      'let log',
      'export function initialize(data) { log = data.log }',
      'export async function resolve(specifier, context, next) {',
      '  const result = await next(specifier, context)',
      "  if (result.url.includes('/dist/')) appendFileSync(log, result.url + '\\n')",
      '  return result',
      '}',
    ].join('\n'),
  )
  await writeFile(
    join(dir, 'register.mjs'),
    [
      "import { register } from 'node:module'",
      "register('./hook.mjs', import.meta.url, { data: { log: process.env.ISG_LOADS_LOG } })",
    ].join('\n'),
  )
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

useFakeGitHub((f) => (fake = f))

async function runWithLoads(comment: string): Promise<{ run: ActionResult; loads: string[] }> {
  const log = join(dir, `loads-${comment}.txt`)
  await writeFile(log, '')
  const run = await runAction({
    inputs: { 'base-image': BASE, 'head-image': HEAD, 'comment-key': 'isg-inputs8', comment },
    event: pullRequestEvent(7),
    api: fake.url,
    env: {
      NODE_OPTIONS: `--import=${pathToFileURL(join(dir, 'register.mjs')).href}`,
      ISG_LOADS_LOG: log,
    },
  })
  return { run, loads: (await readFile(log, 'utf8')).split('\n').filter(Boolean) }
}

describe('comment: false', () => {
  test('1. loads no GitHub chunk and sends no request, and still writes the report', async () => {
    const { run, loads } = await runWithLoads('false')
    expect(run.code).toBe(0)
    expect(loads).toContainEqual(expect.stringMatching(/\/dist\/index\.js$/))
    expect(loads.filter((url) => GITHUB_CHUNKS.test(url))).toEqual([])
    expect(fake.state.requests).toEqual([])
    expect(run.outputs['comment-url']).toBe('')
    expect(run.outputs['head-size']).toMatch(/^\d+$/)
    expect(run.stdout).toContain('comment is false: no PR comment')
  })

  test('2. the same run with comment true loads them and comments', async () => {
    const { run, loads } = await runWithLoads('true')
    expect(run.code).toBe(0)
    expect(loads.filter((url) => GITHUB_CHUNKS.test(url))).toHaveLength(3)
    expect(fake.state.requests.length).toBeGreaterThan(0)
    expect(run.outputs['comment-url']).toMatch(/#issuecomment-\d+$/)
  })
})
