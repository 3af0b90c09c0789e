import { beforeAll, describe, expect, test } from '@jest/globals'
import { join } from 'node:path'
import { ROOT } from '../support/engines.js'
import { commentExtras } from '../support/fake-github-comment-routes.js'
import { FAKE_TOKENS, type FakeGitHub } from '../support/fake-github.js'
import {
  ensureBundle,
  pullRequestEvent,
  runAction,
  useFakeGitHub,
  workflowCommands,
  type ActionResult,
} from '../support/run-action.js'
import { describeRun, expectExit } from './expect-run.js'

/**
 * Comment behaviour (issue 10): comment-mode, comment-when, delete-stale and check-run, through
 * the bundled action on the example archives against the loopback GitHub fake. base → pr grows
 * the image (a failing run with max-increase 1B); pr → pr grows nothing (a passing run).
 */

const BASE = `docker-archive:${join(ROOT, 'examples/base.tar')}`
const HEAD = `docker-archive:${join(ROOT, 'examples/pr.tar')}`
const KEY = 'isg-behaviour'
const MARKER = `<!-- image-size-gate:comment-key=${KEY} -->`
const PASSING = { 'base-image': HEAD, 'head-image': HEAD }
const GROWING = { 'base-image': BASE, 'head-image': HEAD }
const FAILING = { ...GROWING, 'max-increase': '1B' }

let fake: FakeGitHub

beforeAll(async () => {
  await ensureBundle()
})

useFakeGitHub((f) => (fake = f))

function run(inputs: Record<string, string>): Promise<ActionResult> {
  return runAction({
    inputs: { 'comment-key': KEY, ...inputs },
    event: pullRequestEvent(7),
    api: fake.url,
  })
}

const stickies = () => fake.state.comments.filter((c) => c.body.startsWith(MARKER))
/** Requests that change something (GraphQL `viewer` is a read sent as POST). */
const writes = () =>
  fake.state.requests.filter(
    (r) => r.method !== 'GET' && !JSON.stringify(r.body).includes('viewer'),
  )
const warningsOf = (result: ActionResult) => workflowCommands(result.stdout, 'warning')

describe('comment behaviour', () => {
  test('1. recreate: the second run posts a new comment and hides the previous one as outdated', async () => {
    const first = await run({ ...GROWING, 'comment-mode': 'recreate' })
    expectExit(first, 0)
    expect(stickies()).toHaveLength(1)
    const [old] = stickies()
    const second = await run({ ...GROWING, 'comment-mode': 'recreate' })
    expectExit(second, 0)
    expect(stickies()).toHaveLength(2)
    const fresh = stickies()[1]
    expect(fresh.id).not.toBe(old.id)
    expect(commentExtras(fake.state).minimized).toEqual([{ id: old.id, classifier: 'OUTDATED' }])
    expect(second.outputs['comment-url']).toContain(`#issuecomment-${fresh.id}`)
    expect(
      writes().filter((r) => r.method === 'POST' && r.path.endsWith('/comments')),
    ).toHaveLength(2)
    expect(writes().filter((r) => r.method === 'PATCH' || r.method === 'DELETE')).toHaveLength(0)
  })

  test('2. recreate: a comment that cannot be hidden is a warning, the new one is posted', async () => {
    // A user token learns its identity from GET /user: the only GraphQL request is the mutation.
    const inputs = { ...GROWING, 'comment-mode': 'recreate', 'github-token': FAKE_TOKENS.personal }
    await run(inputs)
    fake.failWhen(10, 502, (method, path) => method === 'POST' && path === '/graphql')
    const second = await run(inputs)
    expectExit(second, 0)
    expect(stickies()).toHaveLength(2)
    expect(commentExtras(fake.state).minimized).toHaveLength(0)
    expect(warningsOf(second).join('\n')).toMatch(/Could not hide the previous PR comment/)
  })

  test('3. changed: a second identical run makes no write request', async () => {
    const first = await run({ ...GROWING, 'comment-when': 'changed' })
    expectExit(first, 0)
    expect(stickies()).toHaveLength(1)
    expect(stickies()[0].body.split('\n')[1]).toMatch(
      /^<!-- image-size-gate:content-hash=[0-9a-f]{32} -->$/,
    )
    const before = writes().length
    const second = await run({ ...GROWING, 'comment-when': 'changed' })
    expectExit(second, 0)
    expect(writes()).toHaveLength(before)
    expect(second.outputs['comment-url']).toContain(`#issuecomment-${stickies()[0].id}`)
    // A different report is written.
    const third = await run({ ...FAILING, 'comment-when': 'changed' })
    expect(third.code).toBe(1)
    expect(writes().filter((r) => r.method === 'PATCH')).toHaveLength(1)
    expect(stickies()).toHaveLength(1)
  })

  test('3b. changed with recreate: the same report is not posted again, a new one is', async () => {
    const inputs = { 'comment-when': 'changed', 'comment-mode': 'recreate' }
    expectExit(await run({ ...GROWING, ...inputs }), 0)
    const before = writes().length
    expectExit(await run({ ...GROWING, ...inputs }), 0)
    expect(writes()).toHaveLength(before)
    expect((await run({ ...FAILING, ...inputs })).code).toBe(1)
    expect(stickies()).toHaveLength(2)
    expect(commentExtras(fake.state).minimized).toEqual([
      { id: stickies()[0].id, classifier: 'OUTDATED' },
    ])
  })

  test('4. problems: pass posts nothing, fail posts, pass again updates the comment', async () => {
    const pass = await run({ ...PASSING, 'comment-when': 'problems' })
    expectExit(pass, 0)
    expect(writes()).toHaveLength(0)
    expect(stickies()).toHaveLength(0)
    expect(pass.outputs['comment-url']).toBe('')
    const fail = await run({ ...FAILING, 'comment-when': 'problems' })
    expect(fail.code).toBe(1)
    expect(stickies()).toHaveLength(1)
    expect(stickies()[0].body).toMatch(/fail/i)
    const failedBody = stickies()[0].body
    const again = await run({ ...PASSING, 'comment-when': 'problems' })
    expectExit(again, 0)
    expect(stickies()).toHaveLength(1)
    expect(stickies()[0].body).not.toBe(failedBody)
  })

  test('5. delete-stale: back within budget with nothing grown deletes the comment', async () => {
    await run({ ...FAILING })
    expect(stickies()).toHaveLength(1)
    const grown = await run({ ...GROWING, 'delete-stale': 'true' })
    expectExit(grown, 0)
    expect(stickies()).toHaveLength(1) // it grew: the comment stays
    const clean = await run({ ...PASSING, 'delete-stale': 'true' })
    expectExit(clean, 0)
    expect(stickies()).toHaveLength(0)
    expect(clean.outputs['comment-url']).toBe('')
    expect(fake.state.requests.filter((r) => r.method === 'DELETE')).toHaveLength(1)
  })

  test('6. check-run: created on the head commit with the verdict and the report', async () => {
    const result = await run({ ...FAILING, 'check-run': 'true' })
    expect(result.code).toBe(1)
    const runs = commentExtras(fake.state).checkRuns
    expect(runs).toEqual([
      expect.objectContaining({
        ...{ name: KEY, headSha: 'b'.repeat(40), status: 'completed', conclusion: 'failure' },
        summary: expect.stringContaining('max-increase') as unknown,
      }),
    ])
    await run({ ...PASSING, 'check-run': 'true' })
    expect(runs[1].conclusion).toBe('success')
  })

  test('7. check-run: 403 (a fork token) is a warning and the comment is still posted', async () => {
    commentExtras(fake.state).checksWrite = false
    const result = await run({ ...GROWING, 'check-run': 'true' })
    expectExit(result, 0)
    expect(warningsOf(result).join('\n')).toMatch(/No check run: .*checks: write/)
    expect(result.stdout).not.toMatch(/ {4}at /)
    expect(stickies()).toHaveLength(1)
    expect(commentExtras(fake.state).checkRuns).toHaveLength(0)
  })

  test('8. comment-mode: off and a bad comment-when', async () => {
    const off = await run({ ...GROWING, 'comment-mode': 'off' })
    expectExit(off, 0)
    expect(fake.state.requests).toHaveLength(0)
    const bad = await run({ ...GROWING, 'comment-when': 'sometimes', 'comment-mode': 'replace' })
    expect(bad.code).toBe(1)
    const text = describeRun(bad)
    expect(text).toMatch(/comment-when.*sometimes.*always, changed, problems/)
    expect(text).toMatch(/comment-mode.*replace.*update, recreate, off/)
  })
})
