import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { runCli, USAGE } from '../../src/cli/cli.js'
import { ROOT } from '../support/engines.js'

/**
 * `image-size-gate --help` lists every option the action has. The inputs are read from
 * action.yml, so a new input fails this test until the CLI takes it as --NAME and its help says
 * so, or it is named below as one that only makes sense in the action.
 */

/** Inputs the CLI does not take as --NAME, and why. */
const NOT_CLI_OPTIONS: Record<string, string> = {
  'base-image': 'the positional BASE',
  'head-image': 'the positional HEAD',
  'github-token': 'action only: the PR comment (the CLI prints its report to stdout)',
  comment: 'action only: the PR comment',
  'comment-key': 'action only: the PR comment',
  'comment-mode': 'action only: the PR comment',
  'comment-when': 'action only: the PR comment',
  'delete-stale': 'action only: the PR comment',
  'check-run': 'action only: a check run on the pull request',
  mode: 'action only: aggregate and publish post PR comments',
  reports: 'action only: read by modes aggregate and publish',
  history: 'action only: records and reads the size history (the CLI: image-size-gate history)',
  'history-branch': 'action only: the CLI takes --store',
  'history-record-on': 'action only: which pushes record',
  context: 'action only: build mode (the CLI compares images that exist; docker build them first)',
  dockerfile: 'action only: build mode',
  target: 'action only: build mode',
  'build-args': 'action only: build mode',
  'build-network': 'action only: build mode',
  'cache-from': 'action only: build mode',
  'cache-to': 'action only: build mode',
  annotations: 'action only: workflow annotations on the Dockerfile lines',
  'accept-label': 'action only: a deliberate increase is read from the pull request',
  'accept-in-body': 'action only: a deliberate increase is read from the pull request',
  images: 'action only: several images in one step, one PR comment (the CLI compares one pair)',
}
/** Options of the CLI alone; the switches take no value. */
const SWITCHES = ['help', 'version']
const CLI_ONLY = ['format', ...SWITCHES]

const inputs = Object.keys(
  (parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown> })
    .inputs,
)
const helpOptions = [...USAGE.matchAll(/(?<=^|\s)--([a-z][a-z0-9-]*)/g)].map((m) => m[1])

async function cli(args: string[]) {
  let stderr = ''
  const code = await runCli(args, { stdout: () => {}, stderr: (t) => (stderr += t) })
  return { code, stderr }
}

describe('--help and the action inputs (action.yml)', () => {
  it('reads the inputs', () => {
    expect(inputs).toEqual(expect.arrayContaining(['head-image', 'max-size', 'github-token']))
  })

  it.each(inputs.filter((name) => !(name in NOT_CLI_OPTIONS)))(
    'input %s is an option in --help',
    (name) => {
      expect(helpOptions).toContain(name)
    },
  )

  it('names as action-only only inputs that exist and that the CLI does not take', () => {
    for (const name of Object.keys(NOT_CLI_OPTIONS)) {
      expect([name, inputs]).toEqual([name, expect.arrayContaining([name])])
      expect([name, helpOptions]).toEqual([name, expect.not.arrayContaining([name])])
    }
  })

  it('documents only options that exist: action inputs or the CLI own', () => {
    expect(
      helpOptions.filter((name) => !inputs.includes(name) && !CLI_ONLY.includes(name)),
    ).toEqual([])
  })

  it.each(helpOptions)('the CLI accepts --%s', async (name) => {
    // An invalid HEAD stops the run after the arguments are read, before any image is looked for.
    const args = SWITCHES.includes(name)
      ? [`--${name}`]
      : ['compare', 'none', 'NOT A REF', `--${name}=`]
    const { code, stderr } = await cli(args)
    expect(stderr).not.toMatch(/unknown option|needs a value|takes no value/)
    expect(code).toBe(SWITCHES.includes(name) ? 0 : 2)
  })
})
