import { describe, expect, it } from '@jest/globals'
import { formatBytes, formatDelta, formatPercent } from '../../src/format/size.js'

describe('formatting', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1000, '1.00 kB'],
    [1234567, '1.23 MB'],
    [12_345_678, '12.3 MB'],
    [123_456_789, '123 MB'],
    [-2_500_000, '-2.50 MB'],
    [1.5e12, '1.50 TB'],
  ])('%i bytes print as %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text)
  })
  it('signs changes and percentages', () => {
    expect(formatDelta(1200)).toBe('+1.20 kB')
    expect(formatDelta(-5)).toBe('-5 B')
    expect(formatDelta(0)).toBe('0 B')
    expect(formatPercent(4.23)).toBe('+4.2%')
    expect(formatPercent(-12.6)).toBe('-13%')
    expect(formatPercent(undefined)).toBe('—')
  })
})
