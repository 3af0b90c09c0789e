import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { createOctokit } from '../../src/github/octokit.js'
import {
  commentMarker,
  tryPublishComment,
  upsertComment,
  type PublishCommentOptions,
} from '../../src/github/publish-comment.js'
import type { Logger } from '../../src/util/log.js'
import { FAKE_TOKENS, startFakeGitHub, type FakeGitHub } from '../support/fake-github.js'

const owner = 'acme'
const repo = 'shop'
const issueNumber = 7
const marker = commentMarker('default')

let fake: FakeGitHub
let warnings: string[]

beforeEach(async () => {
  fake = await startFakeGitHub()
  warnings = []
})
afterEach(async () => {
  await fake.close()
})

/** One action run: a fresh client (as each run is a new process), 5 ms back-off units. */
function run(overrides: Partial<PublishCommentOptions> & { token?: string } = {}) {
  const { token = FAKE_TOKENS.actions, ...rest } = overrides
  const log: Logger = { debug() {}, info() {}, warning: (m) => warnings.push(m) }
  const octokit = createOctokit(token, { baseUrl: fake.url, retryAfterBaseValueMs: 5, log })
  return { octokit, owner, repo, issueNumber, key: 'default', body: 'report v1', log, ...rest }
}

const requests = (method: string, path?: RegExp) =>
  fake.state.requests.filter((r) => r.method === method && (!path || path.test(r.path)))

const seedOthers = (count: number) =>
  fake.seed(
    ...Array.from({ length: count }, (_, i) => ({
      ...{ owner, repo, issueNumber, body: `LGTM ${i}`, login: `reviewer${i % 7}` },
    })),
  )

describe('commentMarker', () => {
  it.each([
    ['default', '<!-- image-size-gate:comment-key=default -->'],
    ['app/linux-arm64_v8.1', '<!-- image-size-gate:comment-key=app/linux-arm64_v8.1 -->'],
    ['x --> <b>hi</b>', '<!-- image-size-gate:comment-key=x--bhi/b -->'],
    ['!!!', '<!-- image-size-gate:comment-key=default -->'],
  ])('%#: %j', (key, expected) => {
    expect(commentMarker(key)).toBe(expected)
  })
})

it('cuts a long key in the marker, keeping long keys apart by a hash', () => {
  const a = commentMarker(`${'k'.repeat(300)}a`)
  const b = commentMarker(`${'k'.repeat(300)}b`)
  expect(a).toMatch(/^<!-- image-size-gate:comment-key=k{183}-[0-9a-f]{16} -->$/)
  expect(b).not.toBe(a)
})

describe('upsertComment', () => {
  it('creates the comment on the first run, with the marker on its own first line', async () => {
    const result = await upsertComment(run())
    expect(result.action).toBe('created')
    expect(fake.state.comments).toHaveLength(1)
    expect(fake.state.comments[0]?.body).toBe(`${marker}\nreport v1`)
    expect(result).toEqual({
      action: 'created',
      id: fake.state.comments[0]?.id,
      url: expect.stringContaining(`#issuecomment-${fake.state.comments[0]?.id}`),
    })
    expect(requests('GET', /^\/user/)).toHaveLength(0) // nothing marked: no need to ask
  })

  it('updates the same comment on the second run instead of adding one', async () => {
    const first = await upsertComment(run())
    const second = await upsertComment(run({ body: 'report v2' }))
    expect(second).toEqual({ ...first, action: 'updated' })
    expect(fake.state.comments.map((c) => c.body)).toEqual([`${marker}\nreport v2`])
    expect(requests('POST', /\/comments$/)).toHaveLength(1)
    // GraphQL's viewer names the Actions token (GET /user would answer 403).
    expect(requests('POST', /^\/graphql/).map((r) => r.status)).toEqual([200])
    expect(requests('GET', /^\/user/)).toEqual([])
  })

  it('does not touch the comment when the body is unchanged', async () => {
    const first = await upsertComment(run())
    const second = await upsertComment(run())
    expect(second).toEqual({ ...first, action: 'unchanged' })
    expect(requests('PATCH')).toHaveLength(0)
    expect(requests('POST', /\/comments$/)).toHaveLength(1)
  })

  it('reads every page: finds the marker on page 3 of 250 comments', async () => {
    seedOthers(230)
    const [ours] = fake.seed({
      ...{ owner, repo, issueNumber, body: `${marker}\nold`, login: 'github-actions[bot]' },
      type: 'Bot',
    })
    seedOthers(19)
    const result = await upsertComment(run())
    expect(result).toMatchObject({ action: 'updated', id: ours?.id })
    const pages = requests('GET', /\/comments/).map((r) => new URL(r.path, fake.url).search)
    expect(pages).toEqual(['?per_page=100', '?per_page=100&page=2', '?per_page=100&page=3'])
    expect(requests('POST', /\/comments$/)).toHaveLength(0)
  })

  it('ignores a comment with the same marker written by someone else', async () => {
    const [planted] = fake.seed({ owner, repo, issueNumber, body: `${marker}\nhi`, login: 'eve' })
    const result = await upsertComment(run())
    expect(result.action).toBe('created')
    expect(result.id).not.toBe(planted?.id)
    expect(planted?.body).toBe(`${marker}\nhi`)
    expect(requests('PATCH')).toHaveLength(0)
  })

  it.each([
    ['GraphQL viewer', true, []],
    ['GET /user when GraphQL does not answer', false, [200]],
  ])('finds a personal token by %s', async (_how, viewer, userStatuses) => {
    const personal = fake.state.tokens[FAKE_TOKENS.personal]
    if (personal) personal.canGetViewer = viewer
    const botBody = `${marker}\nfrom the bot`
    fake.seed({ owner, repo, issueNumber, body: botBody, login: 'github-actions[bot]' })
    const [mine] = fake.seed({ owner, repo, issueNumber, body: `${marker}\nx`, login: 'octocat' })
    const result = await upsertComment(run({ token: FAKE_TOKENS.personal }))
    expect(result).toMatchObject({ action: 'updated', id: mine?.id })
    expect(fake.state.comments[0]?.body).toBe(botBody)
    expect(requests('GET', /^\/user/).map((r) => r.status)).toEqual(userStatuses)
  })

  it('updates the oldest of several own comments and deletes the newer ones', async () => {
    const own = { owner, repo, issueNumber, login: 'github-actions[bot]', type: 'Bot' as const }
    const [first, second] = fake.seed(
      { ...own, body: `${marker}\none` },
      { ...own, body: `${marker}\ntwo` },
    )
    const result = await upsertComment(run())
    expect(result).toMatchObject({ action: 'updated', id: first?.id })
    expect(fake.state.comments.map((c) => [c.id, c.body])).toEqual([
      [first?.id, `${marker}\nreport v1`],
    ])
    expect(requests('DELETE').map((r) => `${r.path} ${r.status}`)).toEqual([
      `/repos/${owner}/${repo}/issues/comments/${second?.id} 204`,
    ])
  })

  it('ignores a comment that quotes the marker after other text, even by the same bot', async () => {
    const quoted = `Title check: "${marker}" is not a conventional title`
    const [other] = fake.seed({
      ...{ owner, repo, issueNumber, body: quoted },
      ...{ login: 'github-actions[bot]', type: 'Bot' as const },
    })
    const result = await upsertComment(run())
    expect(result.action).toBe('created')
    expect(other?.body).toBe(quoted)
    expect(requests('PATCH')).toHaveLength(0)
  })

  it('finds an App token by its bot login from GraphQL (GET /user answers 403)', async () => {
    const first = await upsertComment(run({ token: FAKE_TOKENS.app }))
    const second = await upsertComment(run({ token: FAKE_TOKENS.app, body: 'report v2' }))
    expect(second).toMatchObject({ action: 'updated', id: first.id })
    expect(fake.state.comments.map((c) => c.user.login)).toEqual(['isg-size-bot[bot]'])
  })

  it('learns an unknown identity from the comment it creates, then keeps the oldest', async () => {
    const token = FAKE_TOKENS.anonymousApp
    const first = await upsertComment(run({ token }))
    const second = await upsertComment(run({ token, body: 'report v2' }))
    expect(second).toMatchObject({ action: 'updated', id: first.id })
    expect(fake.state.comments.map((c) => [c.id, c.body])).toEqual([
      [first.id, `${marker}\nreport v2`],
    ])
    expect(requests('DELETE')).toHaveLength(1)
  })

  it('reports the comment it created when reading the list again fails', async () => {
    // The first list answers; the one after creating gets 404 (no retry).
    let lists = 0
    fake.failWhen(
      1,
      404,
      (method, path) => method === 'GET' && path.includes('/comments') && ++lists === 2,
    )
    const result = await upsertComment(run())
    expect(result).toMatchObject({ action: 'created', id: fake.state.comments[0]?.id })
    expect(warnings).toEqual([expect.stringMatching(/^PR comment created, but not checked/)])
  })

  it('two clients that both found no comment converge on the oldest', async () => {
    fake.holdUntil(2, (method, path) => method === 'GET' && path.includes('/comments'))
    const [a, b] = await Promise.all([upsertComment(run()), upsertComment(run({ body: 'v2' }))])
    expect(requests('POST', /\/comments$/)).toHaveLength(2)
    expect(fake.state.comments).toHaveLength(1)
    expect([a.id, b.id]).toEqual([fake.state.comments[0]?.id, fake.state.comments[0]?.id])
  })

  it('keeps one comment per key', async () => {
    const amd = await upsertComment(run({ key: 'amd64', body: 'a' }))
    const arm = await upsertComment(run({ key: 'arm64', body: 'b' }))
    const amdAgain = await upsertComment(run({ key: 'amd64', body: 'a2' }))
    expect(arm.id).not.toBe(amd.id)
    expect(amdAgain).toMatchObject({ action: 'updated', id: amd.id })
    expect(fake.state.comments.map((c) => c.body)).toEqual([
      `${commentMarker('amd64')}\na2`,
      `${commentMarker('arm64')}\nb`,
    ])
  })
})

describe('tryPublishComment', () => {
  it("explains a fork PR's read-only token instead of throwing", async () => {
    const result = await tryPublishComment(run({ token: FAKE_TOKENS.readOnly }))
    expect(result).toEqual({ ok: false, reason: expect.stringContaining('read-only GITHUB_TOKEN') })
    expect(result).toEqual({ ok: false, reason: expect.stringContaining('pull-requests: write') })
    expect(fake.state.comments).toHaveLength(0)
  })

  it('retries a 502 and then succeeds', async () => {
    fake.failNext(1, 502)
    const result = await tryPublishComment(run())
    expect(result).toMatchObject({ ok: true, action: 'created' })
    expect(fake.state.requests.map((r) => `${r.method} ${r.status}`)).toEqual([
      'GET 502',
      'GET 200',
      'POST 201',
      'GET 200', // read again after creating: converge with a racing run
    ])
  })

  it('gives up after 3 retries of a 5xx', async () => {
    fake.failNext(4, 503)
    const result = await tryPublishComment(run())
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/503.*after 3 retries/) })
    expect(fake.state.requests).toHaveLength(4)
  })

  it('waits out a primary rate limit and succeeds', async () => {
    fake.rateLimitNext(1, { kind: 'primary' })
    const result = await tryPublishComment(run())
    expect(result).toMatchObject({ ok: true, action: 'created' })
    expect(warnings).toEqual([expect.stringMatching(/rate limit on GET .*waiting .* s \(retry 1/)])
  })

  it('waits out a secondary rate limit answered with 429', async () => {
    fake.rateLimitNext(1, { kind: 'secondary', status: 429 })
    const result = await tryPublishComment(run())
    expect(result).toMatchObject({ ok: true, action: 'created' })
    expect(fake.state.requests.map((r) => r.status)).toEqual([429, 200, 201, 200])
    expect(warnings).toEqual([expect.stringContaining('secondary rate limit')])
  })

  it('gives up when the rate limit lasts beyond 2 retries', async () => {
    fake.rateLimitNext(3, { kind: 'primary' })
    const result = await tryPublishComment(run())
    expect(result).toEqual({ ok: false, reason: expect.stringContaining('rate limit') })
    expect(fake.state.requests).toHaveLength(3)
    expect(warnings.at(-1)).toMatch(/giving up after 2 retries/)
  })

  it('posts a body GitHub refuses as too long (422) once more, shortened, with a warning', async () => {
    const body = `### ❌ Over budget\n\n${'x'.repeat(70_000)}`
    const result = await tryPublishComment(run({ body }))
    expect(result).toMatchObject({ ok: true, action: 'created' })
    expect(requests('POST', /comments$/).map((r) => r.status)).toEqual([422, 201])
    expect(fake.state.comments).toHaveLength(1)
    const [marker, headline, , note] = fake.state.comments[0].body.split('\n')
    expect([marker, headline]).toEqual([commentMarker('default'), '### ❌ Over budget'])
    expect(note).toMatch(/too long .*job summary/)
    expect(warnings).toEqual([expect.stringMatching(/too long \(422\).*shortened/)])
  })

  it('reports a repository the fake does not know (404)', async () => {
    const result = await tryPublishComment(run({ repo: 'missing' }))
    expect(result).toMatchObject({ ok: true }) // every repository exists unless `repos` is set
    await fake.close()
    fake = await startFakeGitHub({ repos: [`${owner}/${repo}`] })
    const missing = await tryPublishComment(run({ repo: 'missing' }))
    expect(missing).toEqual({ ok: false, reason: expect.stringContaining('acme/missing#7') })
  })
})
