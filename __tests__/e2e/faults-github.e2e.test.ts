import { beforeAll, describe, expect, test } from '@jest/globals'
import { join } from 'node:path'
import { ROOT } from '../support/engines.js'
import { commentExtras } from '../support/fake-github-comment-routes.js'
import { labelPull, seedPull } from '../support/fake-github-pulls.js'
import {
  bodyTooLong,
  loseAnswerWhen,
  rateLimitWhen,
  replyWhen,
  REQUESTS,
  statusWhen,
  type RequestMatch,
} from '../support/fake-github-route-faults.js'
import {
  FAKE_TOKENS,
  type FakeComment,
  type FakeGitHub,
  type SeedComment,
} from '../support/fake-github.js'
import { expectNoSecrets } from '../support/no-secrets.js'
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
import { expectExit, expectNoStackTrace } from './expect-run.js'

/**
 * The fault suite, GitHub side (issue 10, item 8; docs/faults.md): every request the comment
 * flow makes answered with 5xx or a rate limit, writes whose answer is lost, a fork's read-only
 * token, a body GitHub refuses as too long, hundreds of comments with stale and forged stickies,
 * and runs racing on one PR. The bundled action runs on the example archives (no engine) against
 * the loopback fake; every run is checked for leaked tokens and passwords.
 */

const BASE = `docker-archive:${join(ROOT, 'examples/base.tar')}`
const HEAD = `docker-archive:${join(ROOT, 'examples/pr.tar')}`
const KEY = 'isg-faults'
const MARKER = `<!-- image-size-gate:comment-key=${KEY} -->`
const [OWNER, REPO] = REPOSITORY.split('/')
const BOT = { login: 'github-actions[bot]', type: 'Bot' as const }

let fake: FakeGitHub

beforeAll(async () => {
  await ensureBundle()
})

useFakeGitHub((f) => (fake = f))

/** A run on PR `number`; its logs and outputs are checked for secrets before it is returned. */
async function runOnPr(
  number: number,
  inputs: Record<string, string> = {},
  options: RunActionOptions = {},
): Promise<ActionResult> {
  const run = await runAction({
    inputs: { 'base-image': BASE, 'head-image': HEAD, 'comment-key': KEY, ...inputs },
    event: pullRequestEvent(number),
    api: fake.url,
    ...options,
  })
  expectNoSecrets(run, fake)
  expectNoStackTrace(run)
  return run
}

const onPr = (number: number): FakeComment[] =>
  fake.state.comments.filter(
    (c) => c.owner === OWNER && c.repo === REPO && c.issueNumber === number,
  )
const stickies = (number: number) =>
  onPr(number).filter((c) => c.body.startsWith(MARKER) && c.user.login === BOT.login)
const urlOf = (c: FakeComment) =>
  `https://github.com/${REPOSITORY}/pull/${c.issueNumber}#issuecomment-${c.id}`
const warningsOf = (run: ActionResult) => workflowCommands(run.stdout, 'warning')
const seedOn = (number: number, body: string, who: Pick<SeedComment, 'login' | 'type'> = BOT) =>
  fake.seed({ owner: OWNER, repo: REPO, issueNumber: number, body, ...who })[0]

/** The statuses the fake answered to the requests `match` picks, in order. */
function statusesOf(match: RequestMatch): number[] {
  return fake.state.requests
    .filter((r) => match({ method: r.method, path: r.path, body: JSON.stringify(r.body ?? '') }))
    .map((r) => r.status)
}

/** The report is in the summary and every output, whatever happened to the comment. */
function expectReportKept(run: ActionResult, verdict: 'pass' | 'warn' | 'fail'): void {
  expect(run.summary).toContain('Layers that changed')
  expect(run.outputs.verdict).toBe(verdict)
  expect(run.outputs['head-size']).toMatch(/^\d+$/)
  expect(run.outputs['report-path']).toMatch(/\.json$/)
}

describe('5xx and secondary rate limits on each request: retried, one comment', () => {
  const UPDATE_FLOW: Array<[string, RequestMatch]> = [
    ['list comments', REQUESTS.listComments],
    ['GraphQL viewer', REQUESTS.viewer],
    ['update comment', REQUESTS.updateComment],
    ['delete duplicate', REQUESTS.deleteComment],
  ]

  test.each([
    ['502', (match: RequestMatch) => statusWhen(fake, 1, 502, match)],
    ['503', (match: RequestMatch) => statusWhen(fake, 1, 503, match)],
    [
      'secondary 403',
      (match: RequestMatch) =>
        rateLimitWhen(fake, 1, { kind: 'secondary', status: 403, retryAfterSeconds: 1 }, match),
    ],
    [
      'secondary 429',
      (match: RequestMatch) =>
        rateLimitWhen(fake, 1, { kind: 'secondary', status: 429, retryAfterSeconds: 1 }, match),
    ],
  ])(
    '1. update flow, %s on each request once',
    async (_name, inject) => {
      const number = 501
      const kept = seedOn(number, `${MARKER}\nan old report`)
      seedOn(number, `${MARKER}\na duplicate from an earlier race`)
      for (const [, match] of UPDATE_FLOW) inject(match)
      const run = await runOnPr(number)
      expectExit(run, 0)
      expectReportKept(run, 'pass')
      for (const [name, match] of UPDATE_FLOW) {
        const statuses = statusesOf(match)
        const failedThenDone = statuses[0] >= 403 && (statuses.at(-1) ?? 999) < 300
        expect({ name, statuses, failedThenDone }).toEqual({ name, statuses, failedThenDone: true })
      }
      expect(stickies(number).map((c) => c.id)).toEqual([kept.id])
      expect(kept.body).toContain('Layers that changed')
      expect(run.outputs['comment-url']).toBe(urlOf(kept))
    },
    60_000,
  )

  test('2. create flow: a 502 on the list and on the create, one comment', async () => {
    statusWhen(fake, 1, 502, REQUESTS.listComments)
    statusWhen(fake, 1, 502, REQUESTS.createComment)
    const run = await runOnPr(502)
    expectExit(run, 0)
    expect(statusesOf(REQUESTS.createComment)).toEqual([502, 201])
    expect(stickies(502)).toHaveLength(1)
    expect(run.outputs['comment-url']).toBe(urlOf(stickies(502)[0]))
  }, 60_000)

  test('3. a create whose answer is lost (502 after the write) is retried: still one comment', async () => {
    loseAnswerWhen(fake, 1, 502, REQUESTS.createComment)
    const run = await runOnPr(503)
    expectExit(run, 0)
    expect(statusesOf(REQUESTS.createComment)).toEqual([502, 201])
    expect(statusesOf(REQUESTS.deleteComment)).toEqual([204]) // the retry's duplicate
    expect(stickies(503)).toHaveLength(1)
    expect(run.outputs['comment-url']).toBe(urlOf(stickies(503)[0]))
  }, 60_000)

  test('4. recreate and check run: 502 on the check run, the create and minimizeComment', async () => {
    const previous = seedOn(504, `${MARKER}\nthe previous report`)
    statusWhen(fake, 1, 502, REQUESTS.createCheckRun)
    statusWhen(fake, 1, 502, REQUESTS.createComment)
    statusWhen(fake, 1, 502, REQUESTS.minimizeComment)
    const run = await runOnPr(504, { 'comment-mode': 'recreate', 'check-run': 'true' })
    expectExit(run, 0)
    const extras = commentExtras(fake.state)
    expect(extras.checkRuns).toHaveLength(1)
    expect(extras.minimized).toEqual([{ id: previous.id, classifier: 'OUTDATED' }])
    const ours = stickies(504)
    expect(ours).toHaveLength(2) // the hidden previous one, and the new one
    expect(run.outputs['comment-url']).toBe(urlOf(ours[1]))
  }, 60_000)

  test('5. acceptance reads: a 502 on the PR and on its events, still accepted', async () => {
    const pull = seedPull(fake.state, {
      owner: OWNER,
      repo: REPO,
      number: 505,
      body: null,
      author: 'contributor',
    })
    labelPull(pull, 'size-ok', 'maintainer', '2026-01-02T03:04:05Z')
    statusWhen(fake, 1, 502, REQUESTS.getPull)
    statusWhen(fake, 1, 502, REQUESTS.listEvents)
    const run = await runOnPr(505, { 'max-increase': '1KB', 'accept-label': 'size-ok' })
    expectExit(run, 0)
    expect(statusesOf(REQUESTS.getPull)).toEqual([502, 200])
    expect(statusesOf(REQUESTS.listEvents)).toEqual([502, 200])
    expect(stickies(505)[0].body).toContain('maintainer')
  }, 60_000)
})

describe('a primary rate limit that resets in an hour', () => {
  test('6. hit on the update: no wait, a clear warning, the old comment left, the verdict holds', async () => {
    const old = seedOn(506, `${MARKER}\nan old report`)
    rateLimitWhen(fake, 5, { kind: 'primary', resetSeconds: 3600 }, REQUESTS.updateComment)
    const run = await runOnPr(506, {
      'max-increase': '1KB',
      'accept-label': '',
      'accept-in-body': 'false',
    })
    expectExit(run, 1)
    expect(run.ms).toBeLessThan(20_000)
    expectReportKept(run, 'fail')
    expect(run.outputs['comment-url']).toBe('')
    expect(warningsOf(run)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^No PR comment: GitHub API rate limit exceeded/),
      ]),
    )
    expect(workflowCommands(run.stdout, 'error')).toEqual([
      expect.stringMatching(/^Image size budget exceeded/),
    ])
    expect(stickies(506).map((c) => [c.id, c.body])).toEqual([[old.id, `${MARKER}\nan old report`]])
  }, 60_000)
})

describe("a fork's read-only token", () => {
  test.each([
    ['within budget', {}, 0, 'pass'],
    ['over budget', { 'max-increase': '1KB' }, 1, 'fail'],
  ] as const)(
    '7. %s: a warning naming the permission and workflow_run; exit = verdict',
    async (_n, budget, code, verdict) => {
      const run = await runOnPr(507, {
        'github-token': FAKE_TOKENS.readOnly,
        'check-run': 'true',
        ...budget,
      })
      expectExit(run, code)
      expectReportKept(run, verdict)
      const warnings = warningsOf(run).join('\n')
      expect(warnings).toMatch(/read-only/)
      expect(warnings).toMatch(/pull-requests: write/)
      expect(warnings).toMatch(/workflow_run/)
      expect(warnings).toMatch(/check run/i)
      expect(fake.state.comments).toEqual([])
    },
    60_000,
  )
})

describe('a body GitHub refuses as too long (422)', () => {
  test('8. on create: a shortened comment is posted once, saying where the report is', async () => {
    replyWhen(fake, 1, REQUESTS.createComment, bodyTooLong)
    const run = await runOnPr(508)
    expectExit(run, 0)
    expectReportKept(run, 'pass')
    expect(statusesOf(REQUESTS.createComment)).toEqual([422, 201])
    const [only] = stickies(508)
    expect(stickies(508)).toHaveLength(1)
    expect(only.body).toMatch(/job summary/)
    expect(only.body.length).toBeLessThan(2000)
    expect(run.outputs['comment-url']).toBe(urlOf(only))
    expect(warningsOf(run)).toEqual(
      expect.arrayContaining([expect.stringMatching(/too long.*shortened/)]),
    )
  }, 60_000)

  test('9. on update: the sticky is updated with the shortened body, no second comment', async () => {
    const old = seedOn(509, `${MARKER}\nan old report`)
    replyWhen(fake, 1, REQUESTS.updateComment, bodyTooLong)
    const run = await runOnPr(509)
    expectExit(run, 0)
    expect(statusesOf(REQUESTS.updateComment)).toEqual([422, 200])
    expect(statusesOf(REQUESTS.createComment)).toEqual([])
    expect(stickies(509).map((c) => c.id)).toEqual([old.id])
    expect(old.body).toMatch(/job summary/)
    expect(run.outputs['comment-url']).toBe(urlOf(old))
  }, 60_000)

  test('10. refused again: one warning that says why, no comment at all, the report kept', async () => {
    replyWhen(fake, 2, REQUESTS.createComment, bodyTooLong)
    const run = await runOnPr(510)
    expectExit(run, 0)
    expectReportKept(run, 'pass')
    expect(statusesOf(REQUESTS.createComment)).toEqual([422, 422])
    expect(onPr(510)).toEqual([])
    expect(run.outputs['comment-url']).toBe('')
    expect(warningsOf(run)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^No PR comment: .*too long/)]),
    )
  }, 60_000)
})

describe('hundreds of comments, stale stickies, forged and quoted markers', () => {
  test('11. 340 comments: the oldest own sticky updated, own duplicates deleted, no other touched', async () => {
    const number = 511
    const special: Record<number, [string, Pick<SeedComment, 'login' | 'type'>]> = {
      5: [`${MARKER}\nI typed the marker myself`, { login: 'octocat', type: 'User' }],
      50: [`${MARKER}\nplanted by another bot`, { login: 'other-bot[bot]', type: 'Bot' }],
      120: [`${MARKER}\nthe first sticky, from an older version`, BOT],
      150: ['<!-- image-size-gate:comment-key=other-image -->\nanother key', BOT],
      210: [`${MARKER}\na duplicate left by a race`, BOT],
      250: [`Quoting: ${MARKER} in the middle`, BOT],
      300: [`> ${MARKER}\n> quoted by a reviewer`, { login: 'reviewer1', type: 'User' }],
      330: [`${MARKER}\nanother duplicate`, BOT],
    }
    const seeded = Array.from({ length: 340 }, (_, i) => {
      const [body, who] = special[i] ?? [`LGTM ${i}`, { login: `reviewer${i % 7}`, type: 'User' }]
      return seedOn(number, body, who)
    })
    const before = new Map(seeded.map((c) => [c.id, c.body]))
    const run = await runOnPr(number)
    expectExit(run, 0)
    const [kept, dup1, dup2] = [seeded[120], seeded[210], seeded[330]]
    expect(kept.body).toContain('Layers that changed')
    expect(run.outputs['comment-url']).toBe(urlOf(kept))
    const left = new Set(onPr(number).map((c) => c.id))
    expect([left.has(dup1.id), left.has(dup2.id)]).toEqual([false, false])
    expect(left.size).toBe(338)
    // Every other comment as it was, and never written to.
    const others = seeded.filter((c) => ![kept, dup1, dup2].includes(c))
    expect(others.filter((c) => c.body !== before.get(c.id))).toEqual([])
    const written = fake.state.requests.filter((r) => r.method === 'PATCH' || r.method === 'DELETE')
    expect(written.map((r) => Number(r.path.split('/').pop())).sort()).toEqual(
      [kept.id, dup1.id, dup2.id].sort(),
    )
    // Read to the last page (100 a page).
    expect(statusesOf(REQUESTS.listComments).length).toBeGreaterThanOrEqual(4)
  }, 60_000)
})

describe('two runs racing on one PR', () => {
  const list = (method: string, path: string) =>
    method === 'GET' && /\/issues\/\d+\/comments/.test(path)
  const create = (method: string, path: string) =>
    method === 'POST' && /\/issues\/\d+\/comments$/.test(path)
  const VARIANTS: Array<[string, () => void]> = [
    ['both list before either creates', () => fake.holdUntil(2, list)],
    [
      'both creates land before either is answered',
      () => {
        fake.holdUntil(2, list)
        fake.holdUntil(2, create)
      },
    ],
    [
      'both read the list again after both created',
      () => {
        fake.holdUntil(2, list)
        fake.holdUntil(2, create)
        fake.holdUntil(2, list)
      },
    ],
  ]

  test.each(VARIANTS)(
    '12. update mode, %s: one comment, both runs name it (3 rounds)',
    async (_name, hold) => {
      for (const round of [1, 2, 3]) {
        const number = 520 + round
        hold()
        const [a, b] = await Promise.all([
          runOnPr(number),
          runOnPr(number, { 'warn-increase': '1KB' }),
        ])
        expectExit(a, 0)
        expectExit(b, 0)
        const left = stickies(number)
        expect({ round, count: left.length }).toEqual({ round, count: 1 })
        expect([a.outputs['comment-url'], b.outputs['comment-url']]).toEqual([
          urlOf(left[0]),
          urlOf(left[0]),
        ])
        expect(left[0].body).toContain('Layers that changed')
      }
    },
    120_000,
  )

  test('13. recreate mode: two runs racing leave one visible comment, the previous hidden', async () => {
    for (const round of [1, 2, 3]) {
      const number = 530 + round
      const previous = seedOn(number, `${MARKER}\nthe previous report`)
      fake.holdUntil(2, list)
      fake.holdUntil(2, create)
      const recreate = { 'comment-mode': 'recreate' }
      const [a, b] = await Promise.all([runOnPr(number, recreate), runOnPr(number, recreate)])
      expectExit(a, 0)
      expectExit(b, 0)
      const hidden = new Set(commentExtras(fake.state).minimized.map((m) => m.id))
      const visible = stickies(number).filter((c) => !hidden.has(c.id))
      expect({ round, visible: visible.length, previousHidden: hidden.has(previous.id) }).toEqual({
        round,
        visible: 1,
        previousHidden: true,
      })
      expect([a.outputs['comment-url'], b.outputs['comment-url']]).toEqual([
        urlOf(visible[0]),
        urlOf(visible[0]),
      ])
    }
  }, 120_000)
})

describe('a token GitHub does not know', () => {
  test('14. 401: one warning naming the token input, the token itself nowhere, exit = verdict', async () => {
    const token = 'ghp_fake_unknown_token_0123456789abcdef'
    const run = await runOnPr(540, { 'github-token': token, 'max-increase': '1KB' })
    expectNoSecrets(run, fake, [token])
    expectExit(run, 1)
    expectReportKept(run, 'fail')
    expect(warningsOf(run)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^No PR comment: GitHub rejected the token \(401/),
      ]),
    )
    expect(fake.state.comments).toEqual([])
  }, 60_000)
})
