import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { createOctokit } from '../../src/github/octokit.js'
import { tryPublishComment } from '../../src/github/publish-comment.js'
import type { Logger } from '../../src/util/log.js'
import { FAKE_TOKENS, startFakeGitHub, type FakeGitHub } from '../support/fake-github.js'

/** The client never stalls: every wait fits in its budget, every request has a deadline. */

let fake: FakeGitHub
let warnings: string[]

beforeEach(async () => {
  fake = await startFakeGitHub()
  warnings = []
})
afterEach(async () => {
  await fake.close()
})

const log: Logger = { debug() {}, info() {}, warning: (m) => warnings.push(m) }

function publish(client: { requestTimeoutMs?: number; budgetMs?: number; unitMs?: number }) {
  const octokit = createOctokit(FAKE_TOKENS.actions, {
    ...{ baseUrl: fake.url, log, retryAfterBaseValueMs: client.unitMs ?? 1000 },
    ...{ requestTimeoutMs: client.requestTimeoutMs, budgetMs: client.budgetMs },
  })
  const target = { owner: 'acme', repo: 'shop', issueNumber: 7 }
  return tryPublishComment({ octokit, ...target, key: 'k', body: 'report', log })
}

describe('createOctokit', () => {
  it('does not wait for a rate limit that lifts after the budget', async () => {
    fake.rateLimitNext(1, { kind: 'primary', resetSeconds: 3600 })
    const started = Date.now()
    const result = await publish({ budgetMs: 120_000 })
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(result).toEqual({ ok: false, reason: expect.stringContaining('rate limit exceeded') })
    expect(warnings).toEqual([
      expect.stringMatching(/lifts in 360\d s, more than the 1[\d.]+ s left/),
    ])
    expect(fake.state.requests).toHaveLength(1)
  })

  it('waits for a secondary rate limit that fits in the budget', async () => {
    fake.rateLimitNext(1, { kind: 'secondary', retryAfterSeconds: 2 })
    const result = await publish({ unitMs: 10 })
    expect(result).toMatchObject({ ok: true, action: 'created' })
    expect(warnings).toEqual([expect.stringMatching(/waiting 0 s \(retry 1 of 2\)/)])
  })

  it('gives up on a request that never answers, without retrying it', async () => {
    fake.hangNext(5)
    const started = Date.now()
    const result = await publish({ requestTimeoutMs: 300 })
    expect(Date.now() - started).toBeLessThan(3_000)
    expect(result).toEqual({
      ok: false,
      reason: expect.stringMatching(/^GitHub did not answer GET .*\/comments.* within 0.3 s; gave/),
    })
    expect(fake.state.requests.map((r) => r.status)).toEqual([0])
  })

  it('stops when the whole budget is spent, even while requests still answer', async () => {
    fake.failNext(3, 502) // retried after 1, 4 and 9 units: 1.4 s with 100 ms units
    const result = await publish({ unitMs: 100, budgetMs: 700 })
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/before the time for/) })
    expect(fake.state.comments).toEqual([])
  })
})

describe('an answer that stops half-way', () => {
  it('is cut by the same timeout and reported, not waited for', async () => {
    const { createServer } = await import('node:http')
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.write('[{"id": 1, ') // and nothing more
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as { port: number }
    try {
      const octokit = createOctokit(FAKE_TOKENS.actions, {
        ...{ baseUrl: `http://127.0.0.1:${port}`, log, requestTimeoutMs: 300 },
      })
      const started = Date.now()
      const target = { owner: 'acme', repo: 'shop', issueNumber: 7 }
      const result = await tryPublishComment({ octokit, ...target, key: 'k', body: 'b', log })
      expect(Date.now() - started).toBeLessThan(3_000)
      expect(result).toEqual({ ok: false, reason: expect.stringMatching(/gave up on the comment/) })
    } finally {
      server.closeAllConnections()
      server.close()
    }
  })
})
