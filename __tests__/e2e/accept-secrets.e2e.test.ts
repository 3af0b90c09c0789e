import { beforeAll, describe, expect, test } from '@jest/globals'
import { ENGINES } from '../support/engines.js'
import { type FakeGitHub } from '../support/fake-github.js'
import { labelPull, seedPull } from '../support/fake-github-pulls.js'
import { buildFixtureImages, FILES_FIXTURES, fixtureTag } from '../support/fixture-images.js'
import {
  ensureBundle,
  pullRequestEvent,
  REPOSITORY,
  runAction,
  useFakeGitHub,
  workflowCommands,
} from '../support/run-action.js'
import { expectExit, expectNoStackTrace } from './expect-run.js'

/**
 * A secret is never accepted (issue 10, part 4): the bundled action on the secret-file fixture
 * images (built from committed Dockerfiles on the classic engine), with the accepting label on
 * the PR, against the loopback GitHub API.
 */

const [OWNER, REPO] = REPOSITORY.split('/')
const SECRETS = FILES_FIXTURES.find((f) => f.name === 'secret-file')

let fake: FakeGitHub
useFakeGitHub((f) => (fake = f))

beforeAll(async () => {
  if (!SECRETS) throw new Error('no secret-file fixture')
  await ensureBundle()
  buildFixtureImages(ENGINES[0], SECRETS)
}, 600_000)

describe('a secret is never accepted', () => {
  test('with the label, max-increase warns as accepted and secrets still fails the step', async () => {
    const pr = seedPull(fake.state, {
      owner: OWNER,
      repo: REPO,
      number: 521,
      body: null,
      author: 'contributor',
    })
    labelPull(pr, 'image-size-accepted', 'maintainer', '2026-12-02T10:30:00Z')
    const run = await runAction({
      inputs: {
        'base-image': `docker-daemon:${fixtureTag('secret-file', 'clean')}`,
        'head-image': `docker-daemon:${fixtureTag('secret-file', 'cause')}`,
        'max-increase': '1B',
      },
      event: pullRequestEvent(521),
      api: fake.url,
    })
    expectExit(run, 1)
    expectNoStackTrace(run)
    expect(run.outputs.verdict).toBe('fail')
    const [error] = workflowCommands(run.stdout, 'error')
    expect(error).toMatch(/^Image size budget exceeded: secrets /)
    expect(error).not.toContain('max-increase')
    const comment = fake.state.comments.find((c) => c.issueNumber === 521)?.body ?? ''
    expect(comment).toContain(
      '`max-increase` warns instead of failing. `secrets` is never accepted.',
    )
    expect(comment).toMatch(/\| `max-increase` +\| .* \| ⚠️ warn \(accepted\), /)
    expect(comment).toMatch(/\| `secrets` +\| .* \| ❌ fail, /)
  })
})
