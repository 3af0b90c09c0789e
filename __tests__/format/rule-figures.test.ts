import { describe, expect, it } from '@jest/globals'
import {
  formatBreach,
  formatOvershoot,
  formatRuleFigure,
  ruleSentence,
} from '../../src/format/rule-figures.js'
import type { RuleUnit } from '../../src/model/verdict.js'

describe('budget figures in words', () => {
  it.each<[number, number, RuleUnit, boolean, boolean, string]>([
    [1, 3, 'layers', false, false, '3'],
    [2, 3, 'layers', false, true, '3 layers'],
    [3, 1, 'files', false, true, '1 file'],
    [4, 2, 'files', false, true, '2 files'],
    [5, 0, 'files', false, false, '0'],
    [6, 0.9844212134184309, 'ratio', false, false, '98.44%'],
    [7, 1, 'ratio', false, false, '100.00%'],
    [8, 12e6, 'bytes', false, false, '12.0 MB'],
    [9, 12e6, 'bytes', true, false, '+12.0 MB'],
  ])('%i: %d %s → %j', (_n, value, unit, increase, word, text) => {
    expect(formatRuleFigure(value, unit, increase, word)).toBe(text)
  })

  it.each<[number, number, RuleUnit, string]>([
    [1, 2, 'files', '2 files'],
    [2, 0.0056, 'ratio', '0.56 percentage points'],
    [3, 2e6, 'bytes', '2.00 MB'],
    [4, 1, 'layers', '1 layers'],
  ])('%i: overshoot %d %s → %j', (_n, value, unit, text) => {
    expect(formatOvershoot(value, unit)).toBe(text)
  })

  it('says under for a minimum, over for a maximum', () => {
    expect(formatBreach(0.01, 'ratio', true)).toBe('1.00 percentage points under')
    expect(formatBreach(0.01, 'ratio')).toBe('1.00 percentage points over')
    expect(ruleSentence(0.93, 0.95, 'ratio', false, true)).toBe(
      '93.00% is 2.00 percentage points under 95.00%',
    )
    expect(ruleSentence(0.97, 0.95, 'ratio', false, true)).toBe('97.00% is at least 95.00%')
    expect(ruleSentence(0.3, 0.2, 'ratio', false)).toBe(
      '30.00% is 10.00 percentage points over 20.00%',
    )
  })
})
