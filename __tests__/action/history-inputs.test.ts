import { afterEach, describe, expect, it } from '@jest/globals'
import { getInputs } from '../../src/action/inputs.js'
import { InputError } from '../../src/util/errors.js'

/** The history inputs: off by default, validated like every input, all problems at once. */

function withInputs(inputs: Record<string, string>) {
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key]
  for (const [name, value] of Object.entries(inputs))
    process.env[`INPUT_${name.toUpperCase()}`] = value
}
afterEach(() => {
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key]
})
const HEAD = 'docker-archive:examples/pr.tar'

function problems(inputs: Record<string, string>): string[] {
  withInputs({ 'head-image': HEAD, ...inputs })
  try {
    getInputs()
  } catch (error) {
    if (error instanceof InputError) return error.problems
    throw error
  }
  throw new Error('the inputs were accepted')
}

describe('history inputs', () => {
  it('1. off by default', () => {
    withInputs({ 'head-image': HEAD })
    expect(getInputs().history).toBeUndefined()
  })

  it('2. on: the default store branch and the default branch recorded', () => {
    withInputs({ 'head-image': HEAD, history: 'true' })
    expect(getInputs().history).toEqual({ storeBranch: 'image-size-gate-history', recordOn: [] })
  })

  it('3. branches named, comma- or line-separated', () => {
    withInputs({
      'head-image': HEAD,
      history: 'TRUE',
      'history-branch': 'sizes',
      'history-record-on': 'main,\nrelease/2.x',
    })
    expect(getInputs().history).toEqual({ storeBranch: 'sizes', recordOn: ['main', 'release/2.x'] })
  })

  it('4. every bad history input is named, together with the others', () => {
    const lines = problems({
      history: 'yes',
      'history-branch': 'a..b',
      'history-record-on': 'main,bad branch',
      'max-size': 'big',
    })
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^Input "history" has the value "yes"; expected "true" or "false"\.$/,
        ),
        expect.stringMatching(
          /^Input "history-branch" has the value "a\.\.b"; expected a branch name/,
        ),
        expect.stringMatching(
          /^Input "history-record-on" has the value "main,bad branch"; expected branch names/,
        ),
        expect.stringMatching(/^Input "max-size"/),
      ]),
    )
  })

  it('5. the store branch cannot be a recorded branch', () => {
    expect(
      problems({ history: 'true', 'history-branch': 'main', 'history-record-on': 'main' }),
    ).toEqual([
      'Input "history-record-on" has the value "main"; expected branches other than history-branch (main).',
    ])
  })
})
