import { describe, expect, it } from '@jest/globals'
import { largestJumps, pointBytes, type SizePoint } from '../../src/model/size-history.js'
import { sparkline } from '../../src/format/sparkline.js'

const point = (sha: string, uncompressedBytes?: number, compressedBytes?: number): SizePoint => ({
  sha: sha.repeat(40).slice(0, 40),
  time: '2026-12-01T00:00:00Z',
  key: 'app',
  layers: 3,
  uncompressedBytes,
  compressedBytes,
})

describe('largestJumps', () => {
  it('names the commits with the largest increases, largest first, on the basis asked', () => {
    const points = [
      point('a', 100, 50),
      point('b', 130, 52),
      point('c', 120, 70),
      point('d', 200, 71),
    ]
    const jumps = largestJumps(points, 'uncompressed', 2)
    expect(jumps.map((j) => [j.from.sha[0], j.to.sha[0], j.deltaBytes])).toEqual([
      ['c', 'd', 80],
      ['a', 'b', 30],
    ])
    expect(largestJumps(points, 'compressed', 1).map((j) => [j.to.sha[0], j.deltaBytes])).toEqual([
      ['c', 18],
    ])
  })

  it('spans points without a size, never counts decreases, and keeps ties in order', () => {
    const points = [point('a', 100), point('b'), point('c', 110), point('d', 90), point('e', 100)]
    const jumps = largestJumps(points, 'uncompressed', 5)
    expect(jumps.map((j) => [j.from.sha[0], j.to.sha[0], j.deltaBytes])).toEqual([
      ['a', 'c', 10],
      ['d', 'e', 10],
    ])
    expect(largestJumps(points, 'uncompressed', 0)).toEqual([])
    expect(pointBytes(points[1], 'uncompressed')).toBeUndefined()
  })
})

describe('sparkline', () => {
  it('maps the lowest to the lowest block and the highest to the highest', () => {
    expect(sparkline([1, 8, 4.5])).toBe('▁█▅')
    expect(sparkline([5, 5])).toBe('▄▄')
    expect(sparkline([1, undefined, 2])).toBe('▁ █')
    expect(sparkline([])).toBe('')
  })
})
