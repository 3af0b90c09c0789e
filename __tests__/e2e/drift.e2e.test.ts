import { beforeAll, describe, expect, test } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import type { JsonReport } from '../../src/report/json-report.js'
import { ROOT } from '../support/engines.js'
import type { FakeGitHub } from '../support/fake-github.js'
import {
  ensureBundle,
  pullRequestEvent,
  runAction,
  useFakeGitHub,
  workflowCommands,
} from '../support/run-action.js'
import { expectExit, expectNoStackTrace } from './expect-run.js'

/**
 * The drift budget through the bundle (issue 11, item 3), with the example archives (no engine).
 * Here the run has no size history: the budget is skipped with its note everywhere the budgets
 * are reported, and bad values are input errors. The runs with a history (the chart in the
 * comment, a drift failure) need the history store; they belong with its e2e tests.
 */

const BASE = 'docker-archive:examples/base.tar'
const PR = 'docker-archive:examples/pr.tar'

let fake: FakeGitHub
beforeAll(() => ensureBundle())
useFakeGitHub((f) => (fake = f))

function cli(args: string[]) {
  return spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  })
}

describe('action: max-drift and warn-drift', () => {
  test('1: without a history, skipped with a note in the comment, the summary and the report', async () => {
    const run = await runAction({
      inputs: {
        'base-image': BASE,
        'head-image': PR,
        'max-drift': '1B/30d',
        'warn-drift': '1B/7d',
      },
      event: pullRequestEvent(81),
      api: fake.url,
    })
    expectExit(run, 0)
    expect(run.outputs.verdict).toBe('pass')
    const [comment] = fake.state.comments.filter((c) => c.issueNumber === 81)
    for (const body of [comment.body, run.summary]) {
      expect(body).toMatch(
        /\| `max-drift` +\| +\+1 B \| +— \| ➖ skip: no size history of the base branch +\|/,
      )
      expect(body).toContain('`warn-drift`')
      expect(body).not.toContain('Size over time')
    }
    const report = JSON.parse(
      await import('node:fs/promises').then((fs) =>
        fs.readFile(run.outputs['report-path'], 'utf8'),
      ),
    ) as JsonReport
    const drift = report.entries[0].budgets.filter((b) => b.key.endsWith('-drift'))
    expect(drift.map((b) => [b.key, b.status])).toEqual([
      ['max-drift', 'skip'],
      ['warn-drift', 'skip'],
    ])
  })

  test('2: bad values are input errors, one line each, reported together', async () => {
    const run = await runAction({
      inputs: { 'base-image': BASE, 'head-image': PR, 'max-drift': '10%', 'warn-drift': '5%/2y' },
      event: pullRequestEvent(82),
      api: fake.url,
    })
    expectExit(run, 1)
    const errors = workflowCommands(run.stdout, 'error')
    expect(errors).toHaveLength(1)
    expect(errors[0].split('\n')).toEqual([
      expect.stringMatching(
        /^Input "max-drift" has the value "10%"; expected a growth and a window/,
      ),
      expect.stringMatching(/^Input "warn-drift" has the value "5%\/2y"; expected/),
    ])
    expectNoStackTrace(run)
  })
})

describe('CLI: --max-drift', () => {
  test('3: is an option, skipped without a history', () => {
    const result = cli(['compare', BASE, PR, '--max-drift', '10%/30d', '--format', 'json'])
    expect(result.status).toBe(0)
    const report = JSON.parse(result.stdout) as JsonReport
    expect(report.entries[0].budgets).toContainEqual(
      expect.objectContaining({
        key: 'max-drift',
        status: 'skip',
        message: 'skipped: no size history of the base branch',
      }),
    )
  })

  test('4: a bad window is a usage error naming the option', () => {
    const result = cli(['compare', BASE, PR, '--max-drift', '10%/0d'])
    expect(result.status).toBe(2)
    expect(result.stderr).toMatch(
      /Option --max-drift has the value "10%\/0d".*the window is 0 days/,
    )
  })
})
