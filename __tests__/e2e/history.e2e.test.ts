import { beforeAll, describe, expect, test } from '@jest/globals'
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  historyFilePath,
  parseHistoryFile,
  serialiseHistoryFile,
} from '../../src/size-history/history-file.js'
import { ROOT } from '../support/engines.js'
import { FAKE_TOKENS, type FakeGitHub } from '../support/fake-github.js'
import { branchFile, branchLog, commitFiles, gitRepo } from '../support/fake-github-git.js'
import {
  ensureBundle,
  pullRequestEvent,
  REPOSITORY,
  runAction,
  useFakeGitHub,
  workflowCommands,
  type ActionEvent,
  type ActionResult,
} from '../support/run-action.js'
import { expectExit, expectNoStackTrace } from './expect-run.js'

/**
 * The size history end to end (issue 11): pushes to the default branch record the built action's
 * figures on the history branch through the loopback Git Data API; racing pushes lose nothing; a
 * pull request run reads the base branch's points (one request) and never writes; a corrupt or
 * unwritable store is a warning, never a changed verdict.
 */

const BASE = `docker-archive:${join(ROOT, 'examples/base.tar')}`
const HEAD = `docker-archive:${join(ROOT, 'examples/pr.tar')}`
const KEY = 'isg-history'
const STORE = 'image-size-gate-history'
const PATH = historyFilePath('main', KEY)
const [OWNER, NAME] = REPOSITORY.split('/')

let fake: FakeGitHub

beforeAll(async () => {
  await ensureBundle()
})

useFakeGitHub((f) => (fake = f))

const repo = () => gitRepo(fake.state, REPOSITORY)
const sha = (n: number) => n.toString(16).padStart(40, '0')
const repository = {
  name: NAME,
  full_name: REPOSITORY,
  owner: { login: OWNER },
  default_branch: 'main',
}

function pushTo(
  branch: string,
  commit: string,
): { event: ActionEvent; env: Record<string, string> } {
  return {
    event: { name: 'push', payload: { ref: `refs/heads/${branch}`, after: commit, repository } },
    env: { GITHUB_REF: `refs/heads/${branch}`, GITHUB_SHA: commit },
  }
}

function run(
  { event, env }: { event: ActionEvent; env?: Record<string, string> },
  inputs: Record<string, string> = {},
): Promise<ActionResult> {
  return runAction({
    inputs: {
      'base-image': BASE,
      'head-image': HEAD,
      'comment-key': KEY,
      history: 'true',
      ...inputs,
    },
    event,
    env,
    api: fake.url,
  })
}

const prEvent = () => {
  const event = pullRequestEvent(7)
  return { event: { ...event, payload: { ...event.payload, repository } } }
}
const stored = () =>
  parseHistoryFile(branchFile(repo(), STORE, PATH) ?? '', { branch: 'main', key: KEY })
const writes = () => fake.state.requests.filter((r) => r.method !== 'GET' && /\/git\//.test(r.path))
const warnings = (result: ActionResult) => workflowCommands(result.stdout, 'warning')

describe('recording on push', () => {
  test('1. a series of pushes builds the history: one point per commit, with the run’s figures', async () => {
    const results: ActionResult[] = []
    for (const n of [1, 2, 3]) results.push(await run(pushTo('main', sha(n))))
    for (const result of results) {
      expectExit(result, 0)
      expectNoStackTrace(result)
      expect(warnings(result)).toEqual([])
    }
    const file = stored()
    expect(file.points.map((p) => p.sha)).toEqual([sha(1), sha(2), sha(3)])
    const [first] = file.points
    expect(first).toMatchObject({ key: KEY, layers: expect.any(Number) })
    expect(first.uncompressedBytes).toBe(Number(results[0].outputs['head-size']))
    expect(first.layerChanges?.length).toBeGreaterThan(0)
    expect(first.layerChanges?.[0]).toEqual({
      instruction: expect.any(String),
      deltaBytes: expect.any(Number),
    })
    expect(Date.parse(first.time)).toBeGreaterThan(Date.now() - 10 * 60_000)
    const log = branchLog(repo(), STORE)
    expect(log).toHaveLength(3)
    expect(log.at(-1)?.parents).toEqual([]) // created as an orphan branch
    expect(results[2].stdout).toMatch(
      /Size history: recorded 1 point of isg-history on main at 0000000 .*\(3 kept\)/,
    )
  }, 120_000)

  test('2. two racing pushes: the second write finds the branch moved, merges, and both points stay', async () => {
    commitFiles(repo(), STORE, {
      [PATH]: serialiseHistoryFile({ branch: 'main', key: KEY, points: [] }),
    })
    // Both runs read the branch, then both try to move it: one wins, the other gets 422.
    fake.holdUntil(2, (method, path) => method === 'PATCH' && path.includes('/git/refs/'))
    const [a, b] = await Promise.all([run(pushTo('main', sha(10))), run(pushTo('main', sha(11)))])
    expectExit(a, 0)
    expectExit(b, 0)
    expect(
      fake.state.requests.filter((r) => r.method === 'PATCH' && r.status === 422),
    ).toHaveLength(1)
    expect(
      stored()
        .points.map((p) => p.sha)
        .sort(),
    ).toEqual([sha(10), sha(11)])
    expect(`${a.stdout}${b.stdout}`).toMatch(/moved while writing \(attempt 1 of 5\)/)
  }, 120_000)

  test('3. pushes elsewhere do not record (another branch, history off); a named branch does', async () => {
    const other = await run(pushTo('feature', sha(4)))
    expect(other.stdout).toMatch(
      /Size history not recorded: feature is not the default branch \(main\)/,
    )
    const off = await run(pushTo('main', sha(5)), { history: 'false' })
    expectExit(off, 0)
    expect(writes()).toEqual([])
    const named = await run(pushTo('release/2.x', sha(6)), { 'history-record-on': 'release/2.x' })
    expectExit(named, 0)
    expect(branchFile(repo(), STORE, historyFilePath('release/2.x', KEY))).toContain(sha(6))
  }, 120_000)

  test('4. a token without contents: write is one warning that says what to add; the run passes', async () => {
    const result = await run(pushTo('main', sha(7)), { 'github-token': FAKE_TOKENS.readOnly })
    expectExit(result, 0)
    const lines = warnings(result)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(
      /^Size history not recorded: the token cannot write to isg-org\/isg-app \(403/,
    )
    expect(lines[0]).toContain('permissions: contents: write')
    expect(result.outputs.verdict).toBe('pass')
  }, 60_000)
})

describe('pull request runs', () => {
  test('1. read the base branch’s points with one request, and never write', async () => {
    for (const n of [1, 2]) expectExit(await run(pushTo('main', sha(n))), 0)
    const before = fake.state.requests.length
    // A pull_request run, even with GITHUB_REF naming the default branch
    const result = await run({ ...prEvent(), env: { GITHUB_REF: 'refs/heads/main' } })
    expectExit(result, 0)
    expect(result.stdout).toMatch(
      /Size history: 2 points of isg-history on main \(image-size-gate-history\)/,
    )
    expect(result.stdout).toMatch(
      /Size history not recorded: a pull_request event never records it/,
    )
    const requests = fake.state.requests.slice(before)
    const reads = requests.filter((r) => /\/contents\/|\/git\//.test(r.path))
    expect(reads).toHaveLength(1)
    expect(reads[0].path).toBe(`/repos/${REPOSITORY}/contents/${PATH}?ref=${STORE}`)
    expect(requests.filter((r) => r.method !== 'GET' && /\/git\//.test(r.path))).toEqual([])
    expect(branchLog(repo(), STORE)).toHaveLength(2)
  }, 120_000)

  test('1b. the base branch’s builds become the trend, and the drift budget fails a PR whose own increase passes', async () => {
    // main's builds measured the base image; the PR brings the larger one.
    for (const n of [1, 2, 3])
      expectExit(await run(pushTo('main', sha(n)), { 'head-image': BASE, 'base-image': '' }), 0)
    const result = await run(prEvent(), { 'max-increase': '90%', 'max-drift': '100kB/1d' })
    expectExit(result, 1)
    const report = JSON.parse(readFileSync(result.outputs['report-path'], 'utf8')) as {
      entries: Array<{ budgets: Array<{ key: string; status: string; actual: number }> }>
    }
    const budgets = report.entries[0].budgets
    expect(budgets.find((b) => b.key === 'max-increase')?.status).toBe('pass')
    const drift = budgets.find((b) => b.key === 'max-drift')
    expect(drift?.status).toBe('fail')
    expect(drift?.actual).toBeGreaterThan(100_000)
    const [comment] = fake.state.comments
    const chart = /```mermaid\n([\s\S]*?)```/.exec(comment.body)?.[1] ?? ''
    expect(chart).toContain('xychart-beta')
    // One x label per recorded build, and the PR's last.
    const labels =
      /x-axis \[([^\]]*)\]/
        .exec(chart)?.[1]
        .split(',')
        .map((l) => l.trim()) ?? []
    expect(labels).toHaveLength(4)
    expect(labels[3]).toMatch(/PR/)
    expect(result.summary).toContain('```mermaid')
  }, 180_000)

  test('2. no history yet: said, not warned', async () => {
    const result = await run(prEvent())
    expectExit(result, 0)
    expect(result.stdout).toMatch(/Size history: no size history yet for isg-history on main/)
    expect(warnings(result).filter((w) => /history/i.test(w))).toEqual([])
  }, 60_000)

  test.each([
    ['bad JSON', '{"schemaVersion": 1, "points": [', /it is not JSON/],
    [
      'a wrong schema',
      JSON.stringify({ schemaVersion: 0, branch: 'main', key: KEY, points: [] }),
      /schemaVersion/,
    ],
    [
      'hostile strings and bad SHAs',
      JSON.stringify({
        ...{ schemaVersion: 1, branch: 'main', key: KEY },
        points: [
          {
            sha: '@octocat <img src=x onerror=alert(1)>',
            time: '2026-01-01T00:00:00Z',
            key: KEY,
            layers: 1,
          },
        ],
      }),
      /points\[0\]\.sha: expected a commit SHA/,
    ],
    [
      'non-numbers',
      JSON.stringify({
        ...{ schemaVersion: 1, branch: 'main', key: KEY },
        points: [
          {
            sha: sha(1),
            time: '2026-01-01T00:00:00Z',
            key: KEY,
            layers: 1,
            uncompressedBytes: '1e99',
          },
        ],
      }),
      /uncompressedBytes: expected an integer/,
    ],
    [
      'a huge array',
      JSON.stringify({ schemaVersion: 1, branch: 'main', key: KEY, points: Array(3000).fill(0) }),
      /at most 2000 items/,
    ],
  ])(
    '3. a corrupt store (%s) is survived with a warning; the verdict is unchanged',
    async (_name, text, reason) => {
      const clean = await run(prEvent(), { history: 'false', 'max-increase': '1kB' })
      commitFiles(repo(), STORE, { [PATH]: text })
      const result = await run(prEvent(), { 'max-increase': '1kB' })
      expect(result.code).toBe(clean.code)
      expect(result.outputs.verdict).toBe(clean.outputs.verdict)
      expectNoStackTrace(result)
      const lines = warnings(result).filter((w) => w.startsWith('Size history'))
      expect(lines).toHaveLength(1)
      expect(lines[0]).toMatch(/is unusable, so it is ignored/)
      expect(lines[0]).toMatch(reason)
      expect(result.stdout).not.toContain('<img')
    },
    120_000,
  )
})

/** `node dist/cli.js ARGS` with the fake's URL and a token, asynchronously (the fake serves here). */
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [join(ROOT, 'dist/cli.js'), ...args], {
    env: { PATH: process.env.PATH, GH_TOKEN: FAKE_TOKENS.personal, GITHUB_API_URL: fake.url },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

describe('the CLI reads what the action recorded', () => {
  test('1. node dist/cli.js history: the pushes’ points, as a table and as JSON', async () => {
    for (const n of [1, 2]) expectExit(await run(pushTo('main', sha(n))), 0)
    const json = await cli(['history', REPOSITORY, '--key', KEY, '--json'])
    expect([json.code, json.stderr]).toEqual([0, ''])
    const parsed = JSON.parse(json.stdout) as {
      branch: string
      histories: Array<{ points: Array<{ sha: string }> }>
    }
    expect(parsed.branch).toBe('main') // asked of the API: the repository's default branch
    expect(parsed.histories[0].points.map((p) => p.sha)).toEqual([sha(1), sha(2)])
    const text = await cli(['history', REPOSITORY])
    expect(text.code).toBe(0)
    expect(text.stdout).toContain(`${KEY} on ${REPOSITORY} main: 2 builds`)
    const bad = await cli(['history', 'not-a-repo'])
    expect([bad.code, bad.stderr]).toEqual([
      2,
      'image-size-gate: the repository "not-a-repo" is not OWNER/REPO\n',
    ])
  }, 120_000)
})
