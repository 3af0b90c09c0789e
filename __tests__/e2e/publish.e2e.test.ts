import { beforeAll, describe, expect, test } from '@jest/globals'
import { copyFile, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { ROOT } from '../support/engines.js'
import { FAKE_TOKENS, type FakeComment, type FakeGitHub } from '../support/fake-github.js'
import {
  ensureBundle,
  pullRequestEvent,
  REPOSITORY,
  runAction,
  useFakeGitHub,
  workflowCommands,
  type ActionResult,
  type RunActionOptions,
} from '../support/run-action.js'
import { describeRun, expectExit, expectNoStackTrace } from './expect-run.js'

/**
 * Where the report lands (issue 7): only the action's own sticky comment is touched, one
 * comment whatever the token and however many runs race, GitHub can never stall the job or
 * take the summary/outputs/verdict away, and no file name can lose the report. The bundled
 * action runs on the committed example archives (no engine) against the loopback GitHub fake.
 */

const BASE = `docker-archive:${join(ROOT, 'examples/base.tar')}`
const HEAD = `docker-archive:${join(ROOT, 'examples/pr.tar')}`
const KEY = 'isg-publish'
const MARKER = `<!-- image-size-gate:comment-key=${KEY} -->`
const [OWNER, REPO] = REPOSITORY.split('/')

let fake: FakeGitHub

beforeAll(async () => {
  await ensureBundle()
})

useFakeGitHub((f) => (fake = f))

function runOnPr(
  number: number,
  inputs: Record<string, string> = {},
  options: RunActionOptions = {},
): Promise<ActionResult> {
  return runAction({
    inputs: { 'base-image': BASE, 'head-image': HEAD, 'comment-key': KEY, ...inputs },
    event: pullRequestEvent(number),
    api: fake.url,
    ...options,
  })
}

const onPr = (number: number): FakeComment[] =>
  fake.state.comments.filter(
    (c) => c.owner === OWNER && c.repo === REPO && c.issueNumber === number,
  )
const stickies = (number: number) => onPr(number).filter((c) => c.body.startsWith(MARKER))
const urlOf = (c: FakeComment) =>
  `https://github.com/${REPOSITORY}/pull/${c.issueNumber}#issuecomment-${c.id}`
const warningsOf = (run: ActionResult) => workflowCommands(run.stdout, 'warning')

/** The outputs every run writes, whatever happens to the comment. */
function expectReportWritten(run: ActionResult): void {
  expect([run.outputs.verdict, run.summary]).toEqual([
    expect.stringMatching(/^(pass|warn|fail)$/),
    expect.stringContaining('Layers that changed'),
  ])
  expect(run.outputs['head-size']).toMatch(/^\d+$/)
}

describe('only its own comment is touched', () => {
  test('1. a comment by the same bot that quotes the marker mid-body is left alone', async () => {
    const quoted = `Title check: "${MARKER}" is not a conventional commit title.`
    const [other] = fake.seed({
      ...{ owner: OWNER, repo: REPO, issueNumber: 401, body: quoted },
      ...{ login: 'github-actions[bot]', type: 'Bot' as const },
    })
    const run = await runOnPr(401)
    expectExit(run, 0)
    expect(other.body).toBe(quoted)
    expect(fake.state.requests.filter((r) => r.path.endsWith(`/${other.id}`))).toEqual([])
    const [sticky] = stickies(401)
    expect(stickies(401)).toHaveLength(1)
    expect(run.outputs['comment-url']).toBe(urlOf(sticky))
  })
})

describe('one comment, whatever the token and however many runs', () => {
  test('2. a GitHub App token (GET /user 403) updates its own comment on the next run', async () => {
    const app = { 'github-token': FAKE_TOKENS.app }
    const first = await runOnPr(402, app)
    expectExit(first, 0)
    const second = await runOnPr(402, { ...app, 'warn-increase': '1KB' })
    expectExit(second, 0)
    expect(stickies(402).map((c) => c.user.login)).toEqual(['isg-size-bot[bot]'])
    expect(stickies(402)[0].body).toContain('warn-increase')
    expect(second.outputs['comment-url']).toBe(first.outputs['comment-url'])
  })

  test('3. a token that cannot learn its identity still ends with one comment', async () => {
    const quiet = { 'github-token': FAKE_TOKENS.anonymousApp }
    // Another App's comment that starts with the marker: not ours, never touched.
    const forged = `${MARKER}\nplanted by another bot`
    const [planted] = fake.seed({
      ...{ owner: OWNER, repo: REPO, issueNumber: 403, body: forged },
      ...{ login: 'other-bot[bot]', type: 'Bot' as const },
    })
    const first = await runOnPr(403, quiet)
    const second = await runOnPr(403, { ...quiet, 'warn-increase': '1KB' })
    const third = await runOnPr(403, quiet)
    for (const run of [first, second, third]) expectExit(run, 0)
    expect(planted.body).toBe(forged)
    const ours = stickies(403).filter((c) => c.user.login === 'isg-quiet-bot[bot]')
    expect(ours).toHaveLength(1)
    expect(ours[0].body).not.toContain('warn-increase') // the third run's report
    expect([first, second, third].map((r) => r.outputs['comment-url'])).toEqual(
      Array(3).fill(urlOf(ours[0])),
    )
    expect(onPr(403)).toHaveLength(2)
  })

  test('4. two runs racing on one PR converge on one up-to-date comment', async () => {
    // Both runs list the comments before either writes: both create one.
    fake.holdUntil(2, (method, path) => method === 'GET' && path.includes('/issues/404/comments'))
    const [a, b] = await Promise.all([runOnPr(404), runOnPr(404, { 'warn-increase': '1KB' })])
    expectExit(a, 0)
    expectExit(b, 0)
    expect(fake.state.requests.filter((r) => r.method === 'POST')).toHaveLength(2)
    const left = stickies(404)
    expect(left).toHaveLength(1)
    expect(a.outputs['comment-url']).toBe(urlOf(left[0]))
    expect(b.outputs['comment-url']).toBe(urlOf(left[0]))
    // A third run finds exactly that comment.
    const c = await runOnPr(404)
    expectExit(c, 0)
    expect(stickies(404).map((s) => s.id)).toEqual([left[0].id])
    expect(stickies(404)[0].body).not.toContain('warn-increase')
  })
})

describe('GitHub can never stall the job', () => {
  test('5. a primary rate limit that resets in an hour: no wait, warning, report kept', async () => {
    fake.rateLimitNext(20, { kind: 'primary', resetSeconds: 3600 })
    const run = await runOnPr(405, { 'max-increase': '1KB' }, { timeoutMs: 60_000 })
    expectExit(run, 1)
    expect(run.ms).toBeLessThan(20_000)
    expectReportWritten(run)
    expect(run.outputs).toMatchObject({ verdict: 'fail', 'comment-url': '' })
    expect(warningsOf(run)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^No PR comment: .*rate limit/)]),
    )
    expect(workflowCommands(run.stdout, 'error')).toEqual([
      expect.stringMatching(/^Image size budget exceeded/),
    ])
    expect(stickies(405)).toEqual([])
    expectNoStackTrace(run)
  })

  test('6. a request that never answers: the run ends, warns and keeps the report', async () => {
    fake.hangNext(100)
    const run = await runOnPr(406, {}, { timeoutMs: 90_000 })
    expect(run.ms).toBeLessThan(60_000)
    expectExit(run, 0)
    expectReportWritten(run)
    expect(run.outputs['comment-url']).toBe('')
    expect(warningsOf(run)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^No PR comment: .*did not answer/)]),
    )
    expectNoStackTrace(run)
  }, 120_000)

  test('7. summary, outputs and verdict are written before any GitHub request', async () => {
    fake.hangNext(100)
    // Killed while GitHub hangs: what was written before the first request is all there is.
    // Without acceptance, whose read comes before the verdict (see accept.e2e.test.ts).
    const noAccept = { 'accept-label': '', 'accept-in-body': 'false' }
    const run = await runOnPr(407, { 'max-increase': '1KB', ...noAccept }, { timeoutMs: 8_000 })
    expect(run.code).toBeNull() // killed
    expect(fake.state.requests.length).toBeGreaterThan(0)
    expectReportWritten(run)
    expect(run.outputs.verdict).toBe('fail')
    expect(workflowCommands(run.stdout, 'error')).toEqual([
      expect.stringMatching(/^Image size budget exceeded/),
    ])
  })
})

describe('the report is never lost to a file name or one failing output', () => {
  test('8. a 400-character comment-key', async () => {
    const key = `matrix-${'k'.repeat(393)}`
    const run = await runOnPr(408, { 'comment-key': key })
    expectExit(run, 0)
    expectNoStackTrace(run)
    expectReportWritten(run)
    expect(Buffer.byteLength(basename(run.outputs['report-path']))).toBeLessThanOrEqual(255)
    expect((await stat(run.outputs['report-path'])).size).toBeGreaterThan(100)
    expect(run.outputs['comment-url']).toMatch(/#issuecomment-\d+$/)
    expect(onPr(408)).toHaveLength(1)
  })

  test('9. a deep archive path, from which the default key is made', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'isg-publish-'))
    try {
      const deep = join(dir, 'a'.repeat(200), 'b'.repeat(200))
      await mkdir(deep, { recursive: true })
      await copyFile(join(ROOT, 'examples/pr.tar'), join(deep, 'pr.tar'))
      const inputs = { 'head-image': `docker-archive:${join(deep, 'pr.tar')}`, 'comment-key': '' }
      const run = await runOnPr(409, inputs)
      expectExit(run, 0)
      expectNoStackTrace(run)
      expectReportWritten(run)
      expect(Buffer.byteLength(basename(run.outputs['report-path']))).toBeLessThanOrEqual(255)
      expect(run.outputs['comment-url']).toMatch(/#issuecomment-\d+$/)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  test('10. each output is written on its own: a broken one warns, the rest land', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'isg-publish-'))
    try {
      const notADir = join(dir, 'file')
      await writeFile(notADir, '')
      // RUNNER_TEMP is a file: the JSON report cannot be written.
      const noTemp = await runOnPr(410, {}, { env: { RUNNER_TEMP: notADir } })
      expectExit(noTemp, 0)
      expectNoStackTrace(noTemp)
      expectReportWritten(noTemp)
      expect(noTemp.outputs['report-path']).toBe('')
      expect(warningsOf(noTemp)).toEqual(
        expect.arrayContaining([expect.stringMatching(/^Could not write the JSON report .*file/)]),
      )
      expect(onPr(410)).toHaveLength(1)
      // GITHUB_OUTPUT cannot be written: the comment and the summary still land.
      const noOutput = await runOnPr(411, {}, { env: { GITHUB_OUTPUT: join(notADir, 'out') } })
      expectExit(noOutput, 0)
      expectNoStackTrace(noOutput)
      expect(noOutput.summary).toContain('Layers that changed')
      expect(warningsOf(noOutput)).toEqual(
        expect.arrayContaining([expect.stringMatching(/^Could not set the outputs/)]),
      )
      expect(onPr(411)).toHaveLength(1)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('advice that is safe', () => {
  test('11. a read-only token: the warning never suggests pull_request_target', async () => {
    const run = await runOnPr(412, { 'github-token': FAKE_TOKENS.readOnly })
    expectExit(run, 0)
    const warning = warningsOf(run).find((w) => w.startsWith('No PR comment'))
    expect(warning).toBeDefined()
    const text = warning ?? describeRun(run)
    expect(text).toMatch(/read-only/)
    expect(text).toMatch(/job summary/)
    expect(text).toMatch(/workflow_run/)
    // Named only to warn against it.
    expect(text).not.toMatch(/(run on|use|switch to) `?pull_request_target/i)
    expect(text).toMatch(/never .*`pull_request_target`|`pull_request_target`.* never/i)
  })
})
