import { beforeAll, describe, expect, test } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { JsonReport } from '../../src/report/json-report.js'
import { ROOT } from '../support/engines.js'
import { FAKE_TOKENS, type FakeGitHub } from '../support/fake-github.js'
import { labelPull, seedPull, type FakePull } from '../support/fake-github-pulls.js'
import {
  ensureBundle,
  pullRequestEvent,
  REPOSITORY,
  runAction,
  useFakeGitHub,
  workflowCommands,
  type ActionResult,
} from '../support/run-action.js'
import { describeRun, expectExit, expectNoStackTrace } from './expect-run.js'

/**
 * Deliberate increases (issue 10, part 4) through the bundled action: the example PR image grew
 * +900 kB (+38%) over the base, so `max-increase: 10%` fails, unless the PR accepts it with the
 * label (who and when from its events) or a line in its description bounded by its amount.
 */

const BASE = `docker-archive:${join(ROOT, 'examples/base.tar')}`
const HEAD = `docker-archive:${join(ROOT, 'examples/pr.tar')}`
const [OWNER, REPO] = REPOSITORY.split('/')
const LABEL = 'image-size-accepted'

let fake: FakeGitHub

beforeAll(async () => {
  await ensureBundle()
})

useFakeGitHub((f) => (fake = f))

function pull(number: number, body: string | null = null): FakePull {
  return seedPull(fake.state, { owner: OWNER, repo: REPO, number, body, author: 'contributor' })
}

/** The run on PR `number`; the event payload's description is `payloadBody` (may be stale). */
function runOnPr(
  number: number,
  inputs: Record<string, string> = {},
  payloadBody?: string,
): Promise<ActionResult> {
  const event = pullRequestEvent(number)
  const pr = event.payload.pull_request as Record<string, unknown>
  if (payloadBody !== undefined) pr.body = payloadBody
  return runAction({
    inputs: { 'base-image': BASE, 'head-image': HEAD, 'max-increase': '10%', ...inputs },
    event,
    api: fake.url,
  })
}

const commentOn = (number: number) =>
  fake.state.comments.find((c) => c.issueNumber === number)?.body ?? ''
const warningsOf = (run: ActionResult) => workflowCommands(run.stdout, 'warning')
const errorsOf = (run: ActionResult) => workflowCommands(run.stdout, 'error')
const requested = (fragment: string) =>
  fake.state.requests.filter((r) => r.method === 'GET' && r.path.includes(fragment))

describe('the label accepts the increase', () => {
  test('1. the step passes with a warning; the comment says who applied it and when', async () => {
    const pr = pull(501)
    // 130 unrelated events: the labeled ones are on the second page of 100.
    for (let i = 0; i < 130; i++)
      pr.events.push({ event: 'head_ref_force_pushed', actor: 'contributor', createdAt: at(i) })
    labelPull(pr, LABEL, 'old-maintainer', '2026-12-01T09:00:00Z')
    pr.events.push({
      event: 'unlabeled',
      label: LABEL,
      actor: 'old-maintainer',
      createdAt: at(131),
    })
    labelPull(pr, LABEL, 'maintainer', '2026-12-02T10:30:00Z')
    const run = await runOnPr(501)
    expectExit(run, 0)
    expect(run.outputs.verdict).toBe('warn')
    expect(errorsOf(run)).toEqual([])
    expect(warningsOf(run)).toEqual([
      expect.stringMatching(/^Image size near its budget: max-increase .*\(accepted\)$/),
    ])
    const body = commentOn(501)
    expect(body).toContain(
      '> **Increase accepted** by @&#8203;maintainer with the label `image-size-accepted` on 2026-12-02 10:30 UTC, for any increase: `max-increase` warns instead of failing.',
    )
    expect(body).toMatch(/\| `max-increase` \| +\+10% \| +\+38% \| ⚠️ warn \(accepted\), /)
    expect(run.summary).toContain('**Increase accepted** by @&#8203;maintainer')
    const json = readReport(run)
    expect(json.acceptance).toEqual({
      ...{ status: 'accepted', via: 'label', label: LABEL, by: 'maintainer' },
      ...{ at: '2026-12-02T10:30:00Z', byAuthor: false, amount: null, reason: null },
      budgets: ['max-increase'],
    })
    expect(json.entries[0].budgets.find((b) => b.key === 'max-increase')).toMatchObject({
      ...{ status: 'warn', accepted: true },
    })
    expect(requested('/issues/501/events').map((r) => r.path)).toEqual([
      expect.stringContaining('per_page=100'),
      expect.stringContaining('page=2'),
    ])
  })

  test("2. a label the PR's author applied accepts too, and the comment says so", async () => {
    labelPull(pull(502), LABEL, 'contributor', '2026-12-02T11:00:00Z')
    const run = await runOnPr(502)
    expectExit(run, 0)
    expect(commentOn(502)).toContain("on 2026-12-02 11:00 UTC (the PR's own author), for any")
  })

  test('3. a run whose budgets pass asks GitHub nothing about acceptance', async () => {
    labelPull(pull(503), LABEL, 'maintainer', '2026-12-02T11:00:00Z')
    const run = await runOnPr(503, { 'max-increase': '50%' })
    expectExit(run, 0)
    expect(requested('/pulls/503')).toEqual([])
    expect(commentOn(503)).not.toContain('accepted')
  })
})

describe('the description line is bounded by its amount', () => {
  test('4. a bound too small: still fails, and the comment says why', async () => {
    // The payload is stale: the description now allows less than it did.
    pull(504, 'Adds the toolchain.\n\nimage-size-gate: accept +100kB\n')
    const run = await runOnPr(504, {}, 'image-size-gate: accept +10MB')
    expectExit(run, 1)
    expect(run.outputs.verdict).toBe('fail')
    expect(errorsOf(run)).toEqual([
      expect.stringMatching(/^Image size budget exceeded: max-increase/),
    ])
    expect(warningsOf(run)).toEqual(
      expect.arrayContaining([
        "The PR description's acceptance line is not used: the image grew +900 kB, more than +100kB",
      ]),
    )
    expect(commentOn(504)).toContain(
      'The acceptance line in the PR description (\\+100kB) is not used: the image grew \\+900 kB, more than \\+100kB.',
    )
    expect(commentOn(504)).toMatch(/\| `max-increase` \| .* \| ❌ fail, /)
    expect(readReport(run).acceptance).toMatchObject({ status: 'refused', amount: '+100kB' })
  })

  test('5. within the bound: the step passes with a warning', async () => {
    pull(505, 'image-size-gate: accept +1MB')
    const run = await runOnPr(505)
    expectExit(run, 0)
    expect(run.outputs.verdict).toBe('warn')
    expect(commentOn(505)).toContain(
      '**Increase accepted** up to \\+1MB by the line in the PR description of @&#8203;contributor',
    )
  })

  test('6. accept-in-body false: the line is not read', async () => {
    pull(506, 'image-size-gate: accept +1MB')
    const run = await runOnPr(506, { 'accept-in-body': 'false' })
    expectExit(run, 1)
    expect(commentOn(506)).not.toContain('accepted')
  })

  test('7. the label accepts every failed size budget at once; secrets is still checked', async () => {
    labelPull(pull(507), LABEL, 'maintainer', '2026-12-02T11:00:00Z')
    const run = await runOnPr(507, { 'max-size': '1MB' })
    expectExit(run, 0)
    expect(commentOn(507)).toContain('`max-size`, `max-increase` warn instead of failing')
    expect(commentOn(507)).toMatch(/\| `secrets` +\| .* \| ✅ pass +\|/)
  })
})

describe('GitHub failures degrade to no acceptance, never a crash', () => {
  test.each([
    [8, 403, /403 .*a fork's read-only token may not read it/],
    [9, 500, /500 /],
  ])(
    '%i. the events API answers %i: no acceptance, a clear warning, the verdict holds',
    async (number, status, detail) => {
      labelPull(pull(500 + number), LABEL, 'maintainer', '2026-12-02T11:00:00Z')
      fake.failWhen(10, status, (_method, path) => path.includes(`/issues/${500 + number}/events`))
      const run = await runOnPr(500 + number, { 'github-token': FAKE_TOKENS.actions })
      expectExit(run, 1)
      expectNoStackTrace(run)
      expect(run.outputs.verdict).toBe('fail')
      const warning = warningsOf(run).find((w) => w.startsWith('No accepted increase'))
      expect(warning).toMatch(
        new RegExp(
          `^No accepted increase: the label ${LABEL} is on #${500 + number}, but who applied it could not be read from its events \\(`,
        ),
      )
      expect(warning).toMatch(detail)
      expect(commentOn(500 + number)).not.toContain('accepted')
      expect(commentOn(500 + number)).toMatch(/❌ fail/)
    },
    60_000,
  )

  test('10. the pull request cannot be read (404): no acceptance, the verdict holds', async () => {
    fake.failWhen(1, 404, (method, path) => method === 'GET' && path.endsWith('/pulls/510'))
    const run = await runOnPr(510)
    expectExit(run, 1)
    expectNoStackTrace(run)
    expect(warningsOf(run)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^No accepted increase: could not read pull request #510 \(404 /),
      ]),
    )
  })
})

describe('the report comes first', () => {
  test('12. GitHub hangs: the unaccepted report is written before the PR is read', async () => {
    fake.hangNext(100)
    // Killed while GitHub hangs: what was written before the first request is all there is.
    const run = await runAction({
      inputs: { 'base-image': BASE, 'head-image': HEAD, 'max-increase': '10%' },
      event: pullRequestEvent(512),
      api: fake.url,
      timeoutMs: 8_000,
    })
    expect(run.code).toBeNull() // killed
    expect(run.outputs.verdict).toBe('fail')
    expect(run.summary).toContain('Layers that changed')
    expect(fake.state.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /repos/${REPOSITORY}/pulls/512`,
    ])
  })

  test('13. accepted: the summary is replaced, not added to, and the last verdict output wins', async () => {
    labelPull(pull(513), LABEL, 'maintainer', '2026-12-02T11:00:00Z')
    const run = await runOnPr(513)
    expectExit(run, 0)
    expect(run.outputs.verdict).toBe('warn')
    expect(run.summary.match(/Layers that changed/g)).toHaveLength(1)
    expect(run.summary).toContain('**Increase accepted**')
    expect(readReport(run).verdict).toBe('warn')
  })
})

describe('inputs', () => {
  test('11. a label longer than GitHub allows is a bad input, reported with the others', async () => {
    const run = await runOnPr(511, { 'accept-label': 'x'.repeat(51), 'accept-in-body': 'maybe' })
    expectExit(run, 1)
    const [error] = errorsOf(run)
    expect(error).toContain('accept-label')
    expect(error).toContain('accept-in-body')
    expect(fake.state.requests).toEqual([])
    if (!error) throw new Error(describeRun(run))
  })
})

function readReport(run: ActionResult): JsonReport {
  return JSON.parse(readFileSync(run.outputs['report-path'], 'utf8')) as JsonReport
}

function at(i: number): string {
  return new Date(Date.UTC(2026, 10, 1) + i * 60_000).toISOString()
}
