import { beforeAll, describe, expect, test } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { ROOT } from '../support/engines.js'
import type { FakeGitHub } from '../support/fake-github.js'
import {
  ensureBundle,
  pullRequestEvent,
  runAction,
  useFakeGitHub,
  workflowCommands,
  type ActionResult,
} from '../support/run-action.js'
import { expectExit, expectNoStackTrace } from './expect-run.js'

/**
 * A missing base image through the bundle (issue 6, item 7): by default the comment and the
 * terminal report say so in their first lines; `base-missing: fail` makes it an error. Only the
 * example archives are read, so no engine is involved.
 */

const MISSING = 'docker-archive:examples/isg-docs-no-such-base.tar'
const PR = 'docker-archive:examples/pr.tar'

let fake: FakeGitHub
beforeAll(() => ensureBundle())
useFakeGitHub((f) => (fake = f))

function runOnPr(number: number, inputs: Record<string, string>): Promise<ActionResult> {
  return runAction({ inputs, event: pullRequestEvent(number), api: fake.url })
}

/** The comment body without the hidden sticky marker, line by line. */
function commentLines(number: number): string[] {
  const comments = fake.state.comments.filter((c) => c.issueNumber === number)
  expect(comments).toHaveLength(1)
  return comments[0].body.split('\n').filter((line) => !line.startsWith('<!--'))
}

function cli(args: string[]) {
  return spawnSync(process.execPath, [join(ROOT, 'dist', 'cli.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  })
}

describe('action: base-missing', () => {
  test('1: default - no baseline, said in the first lines of the comment and the summary', async () => {
    const run = await runOnPr(61, { 'base-image': MISSING, 'head-image': PR, 'max-increase': '1%' })
    expectExit(run, 0)
    expect(run.outputs).toMatchObject({ verdict: 'pass', 'base-size': '' })
    const top = commentLines(61).slice(0, 6).join('\n')
    expect(top).toMatch(/^### ✅ Image size within budget \(no baseline\)\n/)
    expect(top).toContain('> **No baseline: the base image is missing')
    expect(top).toContain('isg-docs-no-such-base.tar does not exist')
    expect(run.summary.split('\n').slice(0, 6).join('\n')).toContain('> [!WARNING]')
    expect(workflowCommands(run.stdout, 'warning').join('\n')).toMatch(
      /isg-docs-no-such-base\.tar does not exist; comparing without a baseline \(base-missing: fail makes this an error\)/,
    )
  })

  test('2: fail - the step fails at once with one line, and posts nothing', async () => {
    const run = await runOnPr(62, {
      'base-image': MISSING,
      'head-image': PR,
      'base-missing': 'fail',
    })
    expectExit(run, 1)
    const errors = workflowCommands(run.stdout, 'error')
    expect(errors).toEqual([
      'No base image to compare with: The base image docker-archive:examples/isg-docs-no-such-base.tar: the file examples/isg-docs-no-such-base.tar does not exist. base-missing is "fail", so this is an error (set it to "no-baseline" to compare without a baseline).',
    ])
    expect(fake.state.comments).toEqual([])
    expectNoStackTrace(run)
  })

  test('3: fail - an existing base compares as usual', async () => {
    const run = await runOnPr(63, {
      'base-image': 'docker-archive:examples/base.tar',
      'head-image': PR,
      'base-missing': 'fail',
    })
    expectExit(run, 0)
    expect(run.outputs['base-size']).toMatch(/^\d+$/)
    expect(commentLines(63)[0]).toBe('### ✅ Image size within budget')
  })

  test('4: a bad value is one input error naming the input, the value and what is expected', async () => {
    const run = await runOnPr(64, {
      'base-image': MISSING,
      'head-image': PR,
      'base-missing': 'warn',
    })
    expectExit(run, 1)
    expect(workflowCommands(run.stdout, 'error')).toEqual([
      'Input "base-missing" has the value "warn"; expected "no-baseline" or "fail".',
    ])
    expectNoStackTrace(run)
  })

  test('5: head-image is not required by action.yml, but still needed without context', async () => {
    const run = await runOnPr(65, { 'base-image': 'docker-archive:examples/base.tar' })
    expectExit(run, 1)
    expect(workflowCommands(run.stdout, 'error')).toEqual([
      'Input "head-image" has the value ""; expected an image reference; it is required.',
    ])
  })
})

describe('CLI: --base-missing', () => {
  test('6: default - the terminal report says NO BASELINE under the verdict, exit 0', () => {
    const result = cli(['compare', MISSING, PR])
    expect(result.status).toBe(0)
    expect(result.stdout.split('\n').slice(0, 2)).toEqual([
      'image-size-gate: PASS',
      'NO BASELINE: the base image is missing, so the size change was not measured and the increase budgets were not checked.',
    ])
  })

  test('7: fail - exit 3 with one line', () => {
    const result = cli(['compare', MISSING, PR, '--base-missing', 'fail'])
    expect(result.status).toBe(3)
    expect(result.stdout).toBe('')
    expect(result.stderr.trim().split('\n')).toEqual([
      'image-size-gate: No base image to compare with: The base image docker-archive:examples/isg-docs-no-such-base.tar: the file examples/isg-docs-no-such-base.tar does not exist. base-missing is "fail", so this is an error (set it to "no-baseline" to compare without a baseline).',
    ])
  })

  test('8: fail with BASE none - there is nothing to compare with either', () => {
    const result = cli(['compare', 'none', PR, '--base-missing=fail'])
    expect(result.status).toBe(3)
    expect(result.stderr).toContain('No base image to compare with: no base image was given.')
  })

  test('9: a bad value exits 2 naming the option', () => {
    const result = cli(['compare', MISSING, PR, '--base-missing', 'maybe'])
    expect(result.status).toBe(2)
    expect(result.stderr.trim()).toBe(
      'image-size-gate: Option --base-missing has the value "maybe"; expected "no-baseline" or "fail".',
    )
  })
})
