import { describe, expect, it } from '@jest/globals'
import { parseBudget, parseIncreaseLimit, parseSizeLimit } from '../../src/budget/budget.js'
import { parseSize } from '../../src/budget/size.js'
import { inputProblemText } from '../../src/util/errors.js'

describe('parseSize', () => {
  it.each([
    [1, '0', 0],
    [2, '1048576', 1048576],
    [3, '500B', 500],
    [4, '1kB', 1000],
    [5, '1KB', 1000],
    [6, '1.5GB', 1_500_000_000],
    [7, '200 MB', 200_000_000],
    [8, '1KiB', 1024],
    [9, '300MiB', 300 * 1024 ** 2],
    [10, '2GiB', 2 * 1024 ** 3],
    [11, ' 12mb ', 12_000_000],
    [12, '1TB', 1e12],
  ])('%i: %j is %i bytes', (_n, text, bytes) => {
    expect(parseSize(text)).toEqual({ bytes })
  })

  it.each([
    [1, ''],
    [2, 'MB'],
    [3, '-5MB'],
    [4, '5XB'],
    [5, '5 M B'],
    [6, '1e6'],
    [7, '5%'],
    [8, '0x10'],
    [9, '9'.repeat(30) + 'TB'],
  ])('%i: %j is rejected with what was expected', (_n, text) => {
    const parsed = parseSize(text)
    expect(parsed).toHaveProperty('error')
    expect('error' in parsed && parsed.error).toMatch(/500MB/)
  })
})

describe('budget limits', () => {
  it.each([
    [1, 'off', {}],
    [2, '', {}],
    [3, 'OFF', {}],
    [4, '20MB', { value: { bytes: 20_000_000 } }],
    [5, '5%', { value: { percent: 5 } }],
    [6, '0.5 %', { value: { percent: 0.5 } }],
    [7, '20MB,5%', { value: { bytes: 20_000_000, percent: 5 } }],
    [8, '5%, 1GiB', { value: { bytes: 1024 ** 3, percent: 5 } }],
    [9, '100%', { value: { percent: 100 } }],
  ])('%i: increase %j', (_n, text, expected) => {
    expect(parseIncreaseLimit(text)).toEqual(expected)
  })

  it.each([
    [1, '101%'],
    [2, '250%'],
    [3, '-5%'],
    [4, '5%,6%'],
    [5, '1MB,2MB'],
    [6, 'lots'],
    [7, '5 percent'],
    [8, ','],
  ])('%i: increase %j is rejected', (_n, text) => {
    expect(parseIncreaseLimit(text)).toHaveProperty('error')
  })

  it('max-size takes a size or off', () => {
    expect(parseSizeLimit('1GB')).toEqual({ value: 1e9 })
    expect(parseSizeLimit('off')).toEqual({})
    expect(parseSizeLimit('5%')).toHaveProperty('error')
  })
})

describe('parseBudget', () => {
  it('reports every bad input together, one line each naming input, value and expectation', () => {
    const problems = parseBudget({
      'max-size': '12XB',
      'max-increase': '150%',
      'warn-increase': '-3',
      'max-layers': '2.5',
      'warn-size': '',
    }).problems.map(inputProblemText)
    expect(problems).toEqual([
      expect.stringMatching(/^Input "max-size" has the value "12XB"; expected .*unknown unit "XB"/),
      expect.stringMatching(/^Input "max-increase" has the value "150%"; expected .*0% to 100%/),
      expect.stringMatching(/^Input "warn-increase" has the value "-3"; expected/),
      expect.stringMatching(/^Input "max-layers" has the value "2.5"; expected a whole number/),
    ])
    for (const line of problems) expect(line).not.toContain('\n')
  })

  it('rejects a warning threshold above its failure threshold', () => {
    const problems = parseBudget({
      'max-increase': '10MB',
      'warn-increase': '20MB',
      'max-size': '1GB',
      'warn-size': '2GB',
    }).problems.map(inputProblemText)
    expect(problems).toHaveLength(2)
    expect(problems[0]).toMatch(/"warn-size".*at most max-size/)
    expect(problems[1]).toMatch(/"warn-increase".*at most max-increase/)
  })

  it('accepts a full, valid budget', () => {
    expect(
      parseBudget({
        'max-size': '1GB',
        'warn-size': '900MB',
        'max-increase': '10%',
        'warn-increase': '5%',
        'max-layers': '40',
      }),
    ).toEqual({
      budget: {
        maxSizeBytes: 1e9,
        warnSizeBytes: 9e8,
        maxIncrease: { percent: 10 },
        warnIncrease: { percent: 5 },
        maxLayers: 40,
        secrets: 'fail', // the default
        secretsByDefault: true,
      },
      problems: [],
    })
  })

  it('rejects zero and negative layer counts', () => {
    expect(parseBudget({ 'max-layers': '0' }).problems).toHaveLength(1)
    expect(parseBudget({ 'max-layers': '-1' }).problems).toHaveLength(1)
  })
})
