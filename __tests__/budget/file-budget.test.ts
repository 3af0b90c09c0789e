import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseBudget } from '../../src/budget/budget.js'
import { parseRatioLimit } from '../../src/budget/file-budget.js'
import { inputProblemText } from '../../src/util/errors.js'
import { ROOT } from '../support/engines.js'

const EXAMPLE = join(ROOT, '__tests__/fixtures/dive-ci/example.dive-ci') // 0.95, 20Mb, 0.5

function diveCi(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'isg-dive-ci-'))
  writeFileSync(join(dir, '.dive-ci'), text)
  return join(dir, '.dive-ci')
}

describe('the file budgets as inputs', () => {
  it.each([
    [1, {}, { secrets: 'fail', secretsByDefault: true }],
    [1.1, { secrets: ' ' }, { secrets: 'fail', secretsByDefault: true }],
    [1.2, { secrets: 'fail' }, { secrets: 'fail' }],
    [2, { secrets: 'WARN' }, { secrets: 'warn' }],
    [3, { secrets: 'off' }, {}],
    [4, { 'file-analysis': 'false', secrets: 'off' }, { fileAnalysis: false }],
    [5, { 'file-analysis': ' True ', secrets: 'off' }, {}],
    [6, { 'max-reclaimable': '50MB', secrets: 'off' }, { maxReclaimableBytes: 50e6 }],
    [
      7,
      { 'max-reclaimable-increase': '1MiB', secrets: 'off' },
      { maxReclaimableIncreaseBytes: 1024 ** 2 },
    ],
    [8, { 'min-efficiency': '0.95', secrets: 'off' }, { minEfficiency: 0.95 }],
    [9, { 'min-efficiency': '95%', secrets: 'off' }, { minEfficiency: 0.95 }],
    [10, { 'max-wasted-bytes': '20MB', secrets: 'off' }, { maxWastedBytes: 20e6 }],
    [11, { 'max-wasted-user-percent': '20%', secrets: 'off' }, { maxWastedUserRatio: 0.2 }],
    [12, { 'max-wasted-user-percent': '0.2', secrets: 'off' }, { maxWastedUserRatio: 0.2 }],
    [13, { 'min-efficiency': 'off', 'max-reclaimable': 'OFF', secrets: 'off' }, {}],
  ])('%i: %j', (_n, raw, budget) => {
    expect(parseBudget(raw)).toEqual({ budget, problems: [] })
  })

  it.each([
    [1, '0.5', 0.5],
    [2, '1', 1],
    [3, '0', 0],
    [4, '100%', 1],
    [5, '0.5 %', 0.005],
    [6, '.9', 0.9],
  ])('%i: ratio %j is %d', (_n, text, ratio) => {
    expect(parseRatioLimit(text)).toEqual({ value: ratio })
  })

  it('reports every bad file-budget input together, one line each naming input, value and expectation', () => {
    const problems = parseBudget({
      'file-analysis': 'yes',
      'max-reclaimable': '5 apples',
      'max-reclaimable-increase': '10%',
      'min-efficiency': '95',
      'max-wasted-bytes': 'lots',
      'max-wasted-user-percent': '120%',
      'dive-ci': '/nonexistent/.dive-ci',
      secrets: 'block',
    }).problems.map(inputProblemText)
    expect(problems).toEqual([
      expect.stringMatching(
        /^Input "max-reclaimable" has the value "5 apples"; expected a size such as 500MB.* or "off"; unknown unit "apples"\.$/,
      ),
      expect.stringMatching(
        /^Input "max-reclaimable-increase" has the value "10%"; expected a size/,
      ),
      expect.stringMatching(
        /^Input "min-efficiency" has the value "95"; expected a ratio from 0 to 1 \(0\.95\), a percentage .*; 95 is above 1 \(write 95% for a percentage\)\.$/,
      ),
      expect.stringMatching(/^Input "max-wasted-bytes" has the value "lots"; expected a size/),
      expect.stringMatching(
        /^Input "max-wasted-user-percent" has the value "120%"; expected a ratio from 0 to 1/,
      ),
      expect.stringMatching(
        /^Input "secrets" has the value "block"; expected "fail", "warn" or "off"\.$/,
      ),
      expect.stringMatching(
        /^Input "file-analysis" has the value "yes"; expected "true" or "false"\.$/,
      ),
      expect.stringMatching(
        /^Input "dive-ci" has the value "\/nonexistent\/\.dive-ci"; expected the path of a dive CI file such as \.dive-ci; there is no such file\.$/,
      ),
    ])
    for (const line of problems) expect(line).not.toContain('\n')
  })

  it('an invalid dive-ci file is an input problem that says what dive would not take', () => {
    const path = diveCi('rules:\n  lowestEfficiency: 95%\n')
    expect(parseBudget({ 'dive-ci': path }).problems.map(inputProblemText)).toEqual([
      `Input "dive-ci" has the value ${JSON.stringify(path)}; expected a dive CI file dive accepts; rules.lowestEfficiency is "95%"; dive takes a number from 0 to 1, or "disabled".`,
    ])
    expect(parseBudget({ 'dive-ci': diveCi('rules: [') }).problems[0].expected).toMatch(
      /^a dive CI file dive accepts; YAML: /,
    )
  })

  it('a directory is not a dive-ci file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'isg-dive-ci-'))
    expect(parseBudget({ 'dive-ci': dir }).problems[0].expected).toMatch(
      /cannot be read \(EISDIR\)/,
    )
  })
})

describe('the dive-ci file and the inputs', () => {
  it("takes dive's own example file's rules as the three dive budgets", () => {
    expect(parseBudget({ 'dive-ci': EXAMPLE, secrets: 'off' })).toEqual({
      budget: { minEfficiency: 0.95, maxWastedBytes: 20e6, maxWastedUserRatio: 0.5 },
      problems: [],
    })
  })

  it('an input that is set wins over the file, even off; one left empty takes the file', () => {
    const { budget } = parseBudget({
      'dive-ci': EXAMPLE,
      'min-efficiency': '80%',
      'max-wasted-bytes': 'off',
      secrets: 'off',
    })
    expect(budget).toEqual({ minEfficiency: 0.8, maxWastedUserRatio: 0.5 })
  })

  it("a rule the file leaves out takes dive's default, disabled stays off", () => {
    const { budget } = parseBudget({
      'dive-ci': diveCi('rules:\n  highestUserWastedPercent: disabled\n'),
      secrets: 'off',
    })
    expect(budget).toEqual({ minEfficiency: 0.9 })
  })

  it('a bad input and a bad file are both reported', () => {
    const problems = parseBudget({
      'dive-ci': diveCi('rules:\n  highestWastedBytes: many\n'),
      'min-efficiency': '2',
    }).problems.map((p) => p.input)
    expect(problems).toEqual(['min-efficiency', 'dive-ci'])
  })
})
