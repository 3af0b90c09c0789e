import { afterEach, describe, expect, it } from '@jest/globals'
import { join } from 'node:path'
import { getInputs } from '../../src/action/inputs.js'
import { runCli } from '../../src/cli/cli.js'
import { InputError } from '../../src/util/errors.js'
import { ROOT } from '../support/engines.js'

/**
 * The file budgets' inputs (action) and --flags (CLI) take the same values and word the same
 * problems: the action as `Input "NAME"`, the CLI as `Option --NAME`.
 */

/** Parses as a reference but does not exist: a run whose flags are fine stops with exit 3. */
const HEAD = 'docker-archive:/nonexistent/isg-pr.tar'
const EXAMPLE = join(ROOT, '__tests__/fixtures/dive-ci/example.dive-ci')

function setInputs(inputs: Record<string, string>): void {
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key]
  for (const [name, value] of Object.entries(inputs))
    process.env[`INPUT_${name.toUpperCase()}`] = value
}

afterEach(() => setInputs({}))

/** The action's problem lines, in the CLI's wording */
function actionProblems(inputs: Record<string, string>): string[] {
  setInputs({ 'head-image': HEAD, ...inputs })
  try {
    getInputs()
  } catch (error) {
    if (!(error instanceof InputError)) throw error
    return error.problems.map((line) => line.replace(/^Input "([a-z-]+)"/, 'Option --$1'))
  }
  return []
}

async function cliProblems(
  flags: Record<string, string>,
): Promise<{ code: number; lines: string[] }> {
  let stderr = ''
  const args = ['compare', 'none', HEAD, ...Object.entries(flags).map(([k, v]) => `--${k}=${v}`)]
  const code = await runCli(args, { stdout: () => {}, stderr: (t) => (stderr += t) })
  return {
    code,
    lines: stderr
      .split('\n')
      .filter(Boolean)
      .map((l) => l.replace(/^image-size-gate: /, '')),
  }
}

describe('file budgets: the CLI reads its flags as the action reads its inputs', () => {
  it.each<[number, Record<string, string>]>([
    [1, { 'file-analysis': 'maybe' }],
    [2, { 'max-reclaimable': '5 apples' }],
    [3, { 'max-reclaimable-increase': '10%' }],
    [4, { 'min-efficiency': '95' }],
    [5, { 'min-efficiency': '101%' }],
    [6, { 'max-wasted-bytes': '-1MB' }],
    [7, { 'max-wasted-user-percent': '1.5' }],
    [8, { 'dive-ci': '/nonexistent/.dive-ci' }],
    [9, { secrets: 'loud' }],
    [10, { 'min-efficiency': 'x', secrets: 'y', 'file-analysis': 'z' }],
  ])('%i: bad %j: the same problems, exit 2', async (_n, values) => {
    const expected = actionProblems(values)
    expect(expected.length).toBe(Object.keys(values).length)
    for (const [name, value] of Object.entries(values)) {
      expect(expected).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `^Option --${name} has the value ${JSON.stringify(value).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}; expected `,
          ),
        ),
      )
    }
    const cli = await cliProblems(values)
    expect(cli).toEqual({ code: 2, lines: expected })
  })

  it.each<[number, Record<string, string>]>([
    [1, { 'file-analysis': 'FALSE' }],
    [2, { 'max-reclaimable': '50MB', 'max-reclaimable-increase': '1MiB' }],
    [3, { 'min-efficiency': '95%', 'max-wasted-bytes': '20MB', 'max-wasted-user-percent': '0.2' }],
    [4, { 'dive-ci': EXAMPLE, 'min-efficiency': 'off' }],
    [5, { secrets: 'warn' }],
  ])('%i: good %j: accepted by both', async (_n, values) => {
    expect(actionProblems(values)).toEqual([])
    // The flags were read; the comparison then fails on the missing PR image (exit 3).
    const cli = await cliProblems({ ...values })
    expect(cli.lines.join('\n')).not.toMatch(/Option --|unknown option|needs a value/)
    expect(cli.code).toBe(3)
  })

  it('the action hands file-analysis and the file budgets to the gate', () => {
    setInputs({
      'head-image': HEAD,
      'file-analysis': 'false',
      'dive-ci': EXAMPLE,
      'max-wasted-bytes': '1MB',
      secrets: 'warn',
    })
    const { gate } = getInputs()
    expect(gate.fileAnalysis).toBe(false)
    expect(gate.budget).toEqual({
      fileAnalysis: false,
      minEfficiency: 0.95,
      maxWastedBytes: 1e6,
      maxWastedUserRatio: 0.5,
      secrets: 'warn',
    })
    setInputs({ 'head-image': HEAD })
    const { fileAnalysis, budget } = getInputs().gate
    expect([fileAnalysis, budget.secrets, budget.secretsByDefault]).toEqual([true, 'fail', true])
  })
})
