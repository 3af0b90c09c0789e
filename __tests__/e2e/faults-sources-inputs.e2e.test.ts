import { beforeAll, describe, expect, test } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { ROOT } from '../support/engines.js'
import { type FakeGitHub } from '../support/fake-github.js'
import {
  ensureBundle,
  pullRequestEvent,
  runAction,
  useFakeGitHub,
  workflowCommands,
} from '../support/run-action.js'
import { describeRun, expectExit, expectNoStackTrace } from './expect-run.js'

/**
 * Hostile values for the size, reference, platform and list inputs through the built CLI and
 * action: every bad value is reported, each on one line that names its input or option, quotes at
 * most a bounded part of the value with its control characters escaped, and nothing runs.
 */
const LONG = 'x'.repeat(100_000)
const MAX_LINE = 600

let fake: FakeGitHub

beforeAll(async () => {
  await ensureBundle()
})

useFakeGitHub((f) => (fake = f))

function cli(args: string[]) {
  return spawnSync('node', [join(ROOT, 'dist/cli.js'), 'compare', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  })
}

describe('the CLI (dist/cli.js)', () => {
  test.each<[string, string[], RegExp]>([
    [
      'a size of 1e308',
      ['--max-size', '1e308'],
      /^Option --max-size has the value "1e308"; expected a size/,
    ],
    ['a size of -0', ['--max-size=-0'], /^Option --max-size has the value "-0"/],
    ['a hex size', ['--warn-size', '0x10'], /^Option --warn-size has the value "0x10"/],
    [
      'Infinity layers',
      ['--max-layers', 'Infinity'],
      /^Option --max-layers has the value "Infinity"; expected a whole number/,
    ],
    [
      'a percentage over 100',
      ['--max-increase', '101%'],
      /^Option --max-increase has the value "101%"/,
    ],
    [
      'an escape sequence in platforms',
      ['--platforms', 'linux/amd64\u001b[2J'],
      /^Option --platforms has the value "linux\/amd64\\u001b\[2J"/,
    ],
    [
      'a 100 000-character size',
      ['--max-size', LONG],
      /^Option --max-size has the value "x{120}"… \(100000 characters\); expected a size/,
    ],
  ])('%s: exit 2, one line naming the option', (_name, args, line) => {
    const run = cli([...args, 'docker-archive:examples/base.tar', 'docker-archive:examples/pr.tar'])
    expect({ status: run.status, stdout: run.stdout }).toEqual({ status: 2, stdout: '' })
    const lines = run.stderr.split('\n').filter((l) => l.startsWith('image-size-gate: '))
    expect(lines).toHaveLength(1)
    expect(lines[0].slice('image-size-gate: '.length)).toMatch(line)
    expect(lines[0].length).toBeLessThan(MAX_LINE)
    expect(run.stderr).not.toMatch(/^\s+at /m)
    expect(run.stderr).not.toContain('\u001b')
  })

  test('a head reference with a newline and a registry that is not a host', () => {
    const run = cli([
      'docker://ex ample.com/app:1',
      'docker://registry.example/app:pr\nsecond-line',
    ])
    expect(run.status).toBe(2)
    const lines = run.stderr.trimEnd().split('\n')
    expect(lines.filter((l) => l.startsWith('image-size-gate: Option'))).toHaveLength(2)
    expect(run.stderr).toContain('"ex ample.com" is not a registry host[:port]')
    expect(run.stderr).toContain('"docker://registry.example/app:pr\\nsecond-line"')
    expect(run.stderr).not.toMatch(/^second-line/m)
  })
})

describe('the action (dist/index.js)', () => {
  test('PR #341: hostile budget values: every problem one bounded line, no comment', async () => {
    const run = await runAction({
      inputs: {
        'base-image': 'docker-archive:examples/base.tar',
        'head-image': 'docker-archive:examples/pr.tar',
        'max-size': LONG,
        'warn-size': '1e308',
        'max-increase': '-0',
        'max-layers': '9'.repeat(400),
        'min-efficiency': 'NaN',
        platforms: 'linux/amd64\nwindows/amd64\u0007',
      },
      event: pullRequestEvent(341),
      api: fake.url,
    })
    expectExit(run, 1)
    expectNoStackTrace(run)
    const errors = workflowCommands(run.stdout, 'error')
    if (errors.length !== 1) throw new Error(`expected one ::error; ${describeRun(run)}`)
    // one annotation, one line per problem, each naming its input
    const lines = errors[0].split('\n')
    for (const input of [
      'max-size',
      'warn-size',
      'max-increase',
      'max-layers',
      'min-efficiency',
      'platforms',
    ])
      expect(lines.filter((l) => l.startsWith(`Input "${input}" has the value `))).toHaveLength(1)
    for (const l of lines) expect(l.length).toBeLessThan(MAX_LINE)
    expect(run.stdout).not.toContain('\u0007')
    expect(fake.state.comments.filter((c) => c.issueNumber === 341)).toEqual([])
  })

  test('PR #342: a bad IMAGE_SIZE_GATE_REGISTRY_TIMEOUT is one line naming it', async () => {
    const run = await runAction({
      inputs: {
        'base-image': 'docker://127.0.0.1:5000/isg-faults/none:base',
        'head-image': 'docker://127.0.0.1:5000/isg-faults/none:pr',
      },
      event: pullRequestEvent(342),
      api: fake.url,
      env: { IMAGE_SIZE_GATE_REGISTRY_TIMEOUT: '0' },
    })
    expectExit(run, 1)
    expectNoStackTrace(run)
    const errors = workflowCommands(run.stdout, 'error')
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(
      /IMAGE_SIZE_GATE_REGISTRY_TIMEOUT has the value "0"; expected a number of seconds above 0, up to 86400 \(default 60\)$/,
    )
    expect(fake.state.comments.filter((c) => c.issueNumber === 342)).toEqual([])
  })
})
