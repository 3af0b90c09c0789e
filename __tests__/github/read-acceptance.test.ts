import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { createOctokit } from '../../src/github/octokit.js'
import { readAcceptClaims } from '../../src/github/read-acceptance.js'
import type { Logger } from '../../src/util/log.js'
import { FAKE_TOKENS, startFakeGitHub, type FakeGitHub } from '../support/fake-github.js'
import { labelPull, seedPull } from '../support/fake-github-pulls.js'

const owner = 'acme'
const repo = 'shop'

let fake: FakeGitHub
let warnings: string[]

beforeEach(async () => {
  fake = await startFakeGitHub()
  warnings = []
})
afterEach(async () => {
  await fake.close()
})

function read(pullNumber: number, label = 'image-size-accepted', inBody = true) {
  const log: Logger = { debug() {}, info() {}, warning: (m) => warnings.push(m) }
  const octokit = createOctokit(FAKE_TOKENS.readOnly, {
    ...{ baseUrl: fake.url, retryAfterBaseValueMs: 5, log },
  })
  return readAcceptClaims({ octokit, owner, repo, pullNumber, label, inBody, log })
}

const pull = (number: number, body: string | null = null) =>
  seedPull(fake.state, { owner, repo, number, body, author: 'Contributor' })

describe('readAcceptClaims', () => {
  it('1. takes the latest labeled event of the label, in any case, by a read-only token', async () => {
    const pr = pull(1, 'image-size-gate: accept +5%')
    labelPull(pr, 'Image-Size-Accepted', 'first', '2026-12-01T00:00:00Z')
    labelPull(pr, 'other', 'third', '2026-12-03T00:00:00Z')
    labelPull(pr, 'image-size-accepted', 'contributor', '2026-12-02T00:00:00Z')
    expect(await read(1)).toEqual({
      label: {
        ...{ name: 'image-size-accepted', by: 'contributor', at: '2026-12-02T00:00:00Z' },
        byAuthor: true,
      },
      body: { line: { kind: 'line', amount: { percent: 5 }, text: '+5%' }, author: 'Contributor' },
    })
    expect(warnings).toEqual([])
  })

  it('2. a label no longer on the PR is not read, whatever its events say', async () => {
    const pr = pull(2)
    labelPull(pr, 'image-size-accepted', 'maintainer', '2026-12-01T00:00:00Z')
    pr.labels = []
    expect(await read(2)).toEqual({ body: { line: { kind: 'none' }, author: 'Contributor' } })
    expect(fake.state.requests.some((r) => r.path.includes('/events'))).toBe(false)
  })

  it('3. a label on the PR without a labeled event is not used, with a warning', async () => {
    pull(3).labels.push('image-size-accepted')
    expect((await read(3)).label).toBeUndefined()
    expect(warnings).toEqual([expect.stringContaining('its events do not say who applied it')])
  })

  it('4. labels off and the body off: only the PR is read, nothing claimed', async () => {
    labelPull(
      pull(4, 'image-size-gate: accept +1MB'),
      'image-size-accepted',
      'm',
      '2026-12-01T00:00:00Z',
    )
    expect(await read(4, '', false)).toEqual({})
  })

  it('5. the PR cannot be read: nothing claimed, one warning, no throw', async () => {
    fake.failWhen(5, 502, (_m, path) => path.endsWith('/pulls/5'))
    expect(await read(5)).toEqual({})
    expect(warnings).toEqual([
      expect.stringMatching(/^No accepted increase: could not read pull request #5 \(502 /),
    ])
  })
})
