import { beforeAll, describe, expect, test } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import {
  buildFixtures,
  ENGINES,
  REGISTRY,
  ROOT,
  historyTotal,
  FIXTURE_BASE,
  FIXTURE_HEAD,
} from '../support/engines.js'
import { FAKE_TOKENS, type FakeComment, type FakeGitHub } from '../support/fake-github.js'
import {
  ensureBundle,
  pullRequestEvent,
  pushEvent,
  REPOSITORY,
  runAction,
  workflowCommands,
  type ActionResult,
  type RunActionOptions,
  useFakeGitHub,
} from '../support/run-action.js'
import { expectExit, expectNoStackTrace } from './expect-run.js'

/**
 * The bundled action (`node dist/index.js`) run as the GitHub runner runs it, against the
 * classic engine (scripts/testbed.sh up) and a loopback fake of the GitHub REST API.
 */

const classic = ENGINES[0]
const BASE = FIXTURE_BASE
const HEAD = FIXTURE_HEAD
const MARKER = '<!-- image-size-gate:comment-key=docker.io/isg-fixture/app -->'
const [OWNER, REPO] = REPOSITORY.split('/')

let fake: FakeGitHub
let baseBytes: number
let headBytes: number

beforeAll(async () => {
  await ensureBundle()
  buildFixtures(classic)
  baseBytes = historyTotal(classic, BASE)
  headBytes = historyTotal(classic, HEAD)
})

useFakeGitHub((f) => (fake = f))

/** A run on PR #number with the fixture pair, the fake API and the given extra inputs. */
function runOnPr(
  number: number,
  inputs: Record<string, string> = {},
  options: RunActionOptions = {},
): Promise<ActionResult> {
  return runAction({
    inputs: { 'head-image': HEAD, 'base-image': BASE, ...inputs },
    event: pullRequestEvent(number),
    api: fake.url,
    ...options,
  })
}

function markedComments(number: number): FakeComment[] {
  return fake.state.comments.filter(
    (c) =>
      c.owner === OWNER && c.repo === REPO && c.issueNumber === number && c.body.includes(MARKER),
  )
}

const commentUrl = (comment: FakeComment) =>
  `https://github.com/${REPOSITORY}/pull/${comment.issueNumber}#issuecomment-${comment.id}`

/** Requests that change something: GraphQL's `viewer` query is a POST but only reads. */
const writes = () =>
  fake.state.requests.filter((r) => r.method !== 'GET' && !r.path.startsWith('/graphql'))

describe('image-size-gate as the runner runs it (classic engine)', () => {
  test('1. the first run on a PR creates the sticky comment and writes every output', async () => {
    const run = await runOnPr(101)
    expectExit(run, 0)

    const delta = headBytes - baseBytes
    expect(delta).toBeGreaterThan(3_000_000) // the fixture pair grows by about 4 MB
    expect(run.outputs).toEqual({
      'base-size': String(baseBytes),
      'head-size': String(headBytes),
      'size-delta': String(delta),
      'size-delta-percent': ((delta / baseBytes) * 100).toFixed(2),
      // The overlay2 engine does not keep compressed layers: unknown, so empty, never 0.
      'base-compressed-size': '',
      'head-compressed-size': '',
      'new-pull-bytes': '',
      verdict: 'pass',
      'comment-url': expect.stringMatching(/#issuecomment-\d+$/),
      'report-path': expect.stringMatching(/report-docker\.io_isg-fixture_app\.json$/),
    })

    const comments = markedComments(101)
    expect(comments).toHaveLength(1)
    expect(run.outputs['comment-url']).toBe(commentUrl(comments[0]))
    expect(comments[0].user.login).toBe('github-actions[bot]')
    expect(writes().map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      `POST /repos/${REPOSITORY}/issues/101/comments 201`,
    ])
    const authorizations = new Set(fake.state.requests.map((r) => r.authorization))
    expect([...authorizations]).toEqual([`token ${FAKE_TOKENS.actions}`])

    const report = JSON.parse(await readFile(run.outputs['report-path'], 'utf8')) as {
      schemaVersion: number
      verdict: string
      entries: Array<{ totals: Record<string, number | null>; noBaseline: string | null }>
    }
    expect(report.schemaVersion).toBe(1)
    expect(report.verdict).toBe('pass')
    expect(report.entries).toHaveLength(1)
    expect(report.entries[0].noBaseline).toBeNull()
    expect(report.entries[0].totals).toEqual({
      baseBytes,
      headBytes,
      deltaBytes: delta,
      deltaPercent: expect.closeTo((delta / baseBytes) * 100, 6),
    })

    // The summary is the whole report: the comment's text (marker aside), nothing left out.
    expect(run.summary).toContain('Layers that changed')
    expect(run.summary).toContain('unchanged layers')
    expect(run.summary).not.toContain('left out')
    expect(comments[0].body).toBe(`${MARKER}\n${run.summary}`)
  })

  test('2. a second run updates the same comment; a third identical run writes nothing', async () => {
    const first = await runOnPr(102)
    expectExit(first, 0)
    const [created] = markedComments(102)

    const changed = { 'warn-increase': '1MB' }
    const second = await runOnPr(102, changed)
    expectExit(second, 0)
    expect(second.outputs.verdict).toBe('warn')
    expect(second.outputs['comment-url']).toBe(first.outputs['comment-url'])
    expect(markedComments(102)).toHaveLength(1)
    expect(markedComments(102)[0].id).toBe(created.id)
    expect(markedComments(102)[0].body).toContain('warn-increase')
    expect(writes().map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      `POST /repos/${REPOSITORY}/issues/102/comments 201`,
      `PATCH /repos/${REPOSITORY}/issues/comments/${created.id} 200`,
    ])

    const before = fake.state.requests.length
    const third = await runOnPr(102, changed)
    expectExit(third, 0)
    expect(third.outputs['comment-url']).toBe(first.outputs['comment-url'])
    const thirdRequests = fake.state.requests.slice(before)
    expect(thirdRequests.length).toBeGreaterThan(0)
    expect(thirdRequests.filter((r) => r.method !== 'GET' && r.path !== '/graphql')).toEqual([])
    expect(third.stdout).toContain('PR comment unchanged')
    expect(markedComments(102)).toHaveLength(1)
  })

  test('3. a read-only token (fork PR) warns, still writes summary and outputs', async () => {
    const readOnly = { 'github-token': FAKE_TOKENS.readOnly }
    const within = await runOnPr(103, readOnly)
    expectExit(within, 0)
    const warnings = workflowCommands(within.stdout, 'warning')
    expect(warnings).toEqual(
      expect.arrayContaining([expect.stringMatching(/fork pull requests get a read-only/)]),
    )
    expect(warnings.find((w) => w.includes('read-only'))).toMatch(/pull-requests: write/)
    expect(within.summary).toContain('Layers that changed')
    expect(within.outputs).toMatchObject({
      verdict: 'pass',
      'head-size': String(headBytes),
      'base-size': String(baseBytes),
      'comment-url': '',
    })
    expect(within.outputs['report-path']).toMatch(/\.json$/)
    expect(fake.state.comments).toEqual([])

    // Over budget, the same token: the step still fails on the verdict.
    const over = await runOnPr(103, { ...readOnly, 'max-increase': '1MB' })
    expectExit(over, 1)
    expect(over.outputs).toMatchObject({ verdict: 'fail', 'comment-url': '' })
    expect(workflowCommands(over.stdout, 'error')).toEqual([
      expect.stringContaining('max-increase'),
    ])
    expect(fake.state.comments).toEqual([])
  })

  test('4. a budget breach: the verdict first, then the comment; the step fails', async () => {
    const run = await runOnPr(104, { 'max-increase': '1MB' })
    expectExit(run, 1)
    expect(run.outputs.verdict).toBe('fail')
    expect(run.outputs['head-size']).toBe(String(headBytes))

    const comments = markedComments(104)
    expect(comments).toHaveLength(1)
    expect(comments[0].body).toContain('max-increase')
    expect(run.outputs['comment-url']).toBe(commentUrl(comments[0]))

    const errors = workflowCommands(run.stdout, 'error')
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(/^Image size budget exceeded: max-increase /)
    // The verdict is out before any GitHub request (so none can take it away); the step still
    // fails only when the run ends, after the comment.
    const posted = run.stdout.indexOf('PR comment created')
    expect(run.stdout.indexOf('::error::')).toBeGreaterThan(-1)
    expect(posted).toBeGreaterThan(run.stdout.indexOf('::error::'))
    expectNoStackTrace(run)
  })

  test('5. 5xx answers are retried and a primary rate limit is waited out', async () => {
    fake.failNext(2, 502)
    const retried = await runOnPr(105)
    expectExit(retried, 0)
    expect(fake.state.requests.slice(0, 3).map((r) => `${r.method} ${r.status}`)).toEqual([
      'GET 502',
      'GET 502',
      'GET 200',
    ])
    expect(markedComments(105)).toHaveLength(1)
    expect(retried.outputs['comment-url']).toBe(commentUrl(markedComments(105)[0]))

    fake.rateLimitNext(1, { kind: 'primary' })
    const limited = await runOnPr(106)
    expectExit(limited, 0)
    expect(fake.state.requests.filter((r) => r.path.includes('/issues/106/'))[0].status).toBe(403)
    expect(workflowCommands(limited.stdout, 'warning')).toEqual(
      expect.arrayContaining([expect.stringMatching(/GitHub rate limit on GET .*: waiting/)]),
    )
    expect(markedComments(106)).toHaveLength(1)
    expect(limited.outputs['comment-url']).toBe(commentUrl(markedComments(106)[0]))
  })

  test('6. invalid inputs: one annotation naming each input, no stack, no API call', async () => {
    const run = await runOnPr(107, {
      'max-size': '12XB',
      'max-increase': '150%',
      'max-layers': '-1',
    })
    expectExit(run, 1)
    const errors = workflowCommands(run.stdout, 'error')
    expect(errors).toHaveLength(1)
    const lines = errors[0].split('\n')
    expect(lines).toHaveLength(3)
    const expected: Array<[string, string]> = [
      ['max-size', '12XB'],
      ['max-increase', '150%'],
      ['max-layers', '-1'],
    ]
    for (const [input, value] of expected) {
      const line = lines.find((l) => l.includes(`"${input}"`))
      expect(line).toBeDefined()
      expect(line).toContain(JSON.stringify(value))
      expect(line).toMatch(/expected .+/)
    }
    expectNoStackTrace(run)
    expect(fake.state.requests).toEqual([])
    expect(run.outputs).toEqual({})
  })

  test.each([
    ['an engine image that does not exist', 'docker-daemon:isg-fixture/app:nope'],
    ['a registry repository that does not exist', `${REGISTRY}/isg/none:1`],
  ])('7. %s as the base: a report without baseline', async (_name, base) => {
    const number = base.startsWith('docker-daemon:') ? 108 : 109
    const run = await runOnPr(number, {
      'base-image': base,
      'max-increase': '1MB',
      'warn-increase': '1%',
    })
    expectExit(run, 0)
    expect(run.outputs).toMatchObject({
      'base-size': '',
      'head-size': String(headBytes),
      'size-delta': '',
      'size-delta-percent': '',
      verdict: 'pass',
    })
    const [comment] = markedComments(number)
    expect(comment.body).toContain('No baseline')
    const report = JSON.parse(await readFile(run.outputs['report-path'], 'utf8')) as {
      entries: Array<{
        noBaseline: string | null
        base: unknown
        budgets: Array<{ key: string; status: string }>
      }>
    }
    expect(report.entries[0].noBaseline).toContain(base.replace(/^docker-daemon:/, ''))
    expect(report.entries[0].base).toBeNull()
    // The increase budgets need a baseline; the default secrets check does not
    const budgets = report.entries[0].budgets
    expect(budgets.filter((b) => b.key !== 'secrets').map((b) => b.status)).toEqual([
      'skip',
      'skip',
    ])
    expect(budgets.find((b) => b.key === 'secrets')?.status).toBe('pass')
    expectNoStackTrace(run)
  })

  test('8. a push event: no API request, a log line, the summary', async () => {
    const run = await runAction({
      inputs: { 'head-image': HEAD, 'base-image': BASE },
      event: pushEvent(),
      api: fake.url,
    })
    expectExit(run, 0)
    expect(fake.state.requests).toEqual([])
    expect(run.stdout).toMatch(/This push event is not a pull request: no PR comment/)
    expect(run.summary).toContain('Layers that changed')
    expect(run.outputs).toMatchObject({ verdict: 'pass', 'comment-url': '' })
  })

  test('9. an unreachable engine: one clear line naming the socket, no stack', async () => {
    const run = await runOnPr(110, {}, { env: { DOCKER_HOST: 'unix:///tmp/isg-nowhere.sock' } })
    expectExit(run, 1)
    const errors = workflowCommands(run.stdout, 'error')
    expect(errors).toHaveLength(1)
    expect(errors[0]).not.toContain('\n')
    expect(errors[0]).toContain('unix:///tmp/isg-nowhere.sock')
    expect(errors[0]).toContain('start dockerd')
    expect(errors[0]).toContain('point DOCKER_HOST at a running engine')
    expectNoStackTrace(run)
    expect(fake.state.requests).toEqual([])
  })

  test('10. the bundle loads on the Node in PATH and asks for head-image', async () => {
    const version = execFileSync('node', ['--version'], { encoding: 'utf8' }).trim()
    expect(Number(/^v(\d+)\./.exec(version)?.[1])).toBeGreaterThanOrEqual(20)

    // No INPUT_ variable at all: the entry point loads, then the input check fails cleanly.
    const run = await runAction({ defaults: false, event: pullRequestEvent(111), api: fake.url })
    expectExit(run, 1)
    expect(run.stderr).toBe('')
    const errors = workflowCommands(run.stdout, 'error')
    expect(errors).toEqual([expect.stringContaining('Input "head-image" has the value ""')])
    expectNoStackTrace(run)
    expect(fake.state.requests).toEqual([])

    // The engine source (dockerode, docker-modem) is a lazily imported chunk, which the run above
    // never loads, and ssh2 a CommonJS file of its own loaded on first ssh:// use: evaluate every
    // chunk, then drive ssh2 through DOCKER_HOST=ssh:// (the error comes from ssh2's connect).
    const chunkDir = join(ROOT, 'dist', 'chunks')
    const chunks = existsSync(chunkDir)
      ? readdirSync(chunkDir).filter((f) => f.endsWith('.js'))
      : []
    const imports = chunks.map(
      (f) => `await import(${JSON.stringify(pathToFileURL(join(chunkDir, f)).href)})`,
    )
    const loaded = execFileSync(
      'node',
      ['--input-type=module', '-e', [...imports, "console.log('loaded')"].join(';')],
      {
        encoding: 'utf8',
      },
    )
    expect(loaded.trim()).toBe('loaded')
    const ssh = await runOnPr(111, {}, { env: { DOCKER_HOST: 'ssh://isg@127.0.0.1:1' } })
    expectExit(ssh, 1)
    expect(workflowCommands(ssh.stdout, 'error')).toEqual([
      expect.stringMatching(
        /^The PR image \S+: Cannot reach the Docker engine at ssh:\/\/127\.0\.0\.1:1 \(ECONNREFUSED\)/,
      ),
    ])
    expectNoStackTrace(ssh)
  })
})
