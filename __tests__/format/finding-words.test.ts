import { describe, expect, it } from '@jest/globals'
import { plainText, wordFinding } from '../../src/format/finding-words.js'
import { layersText, listOf, listParts } from '../../src/format/text.js'
import type { Finding } from '../../src/model/finding.js'
import { inlineMarkdown } from '../../src/render/findings.js'

describe('lists', () => {
  it.each([
    [1, [], ''],
    [2, ['a'], 'a'],
    [3, ['a', 'b'], 'a and b'],
    [4, ['a', 'b', 'c', 'd'], 'a, b, c and d'],
    [5, ['a', 'b', 'c', 'd', 'e', 'f'], 'a, b, c and 3 more'],
  ])('%i: %j → %s', (_, items, text) => {
    expect(listOf(items)).toBe(text)
    expect(listParts(items).join('')).toBe(text)
  })
  it('says layers', () => {
    expect(layersText([6])).toBe('layer 6')
    expect(layersText([1, 2, 3])).toBe('layers 1, 2 and 3')
    expect(layersText([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toBe(
      'layers 1, 2, 3, 4, 5, 6, 7 and 3 more',
    )
    expect(layersText([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], Infinity)).toBe(
      'layers 1, 2, 3, 4, 5, 6, 7, 8, 9 and 10',
    )
  })
})

describe('finding words', () => {
  const finding: Finding = {
    key: 'broad-copy',
    layers: [6],
    bytes: 5e6,
    evidence: { kind: 'broad-copy', hits: [{ layer: 6, seen: 'COPY . /app `x` | @me\nnext' }] },
  }

  it('1: untrusted text becomes code: one line, without backticks or pipes', () => {
    const { title, detail } = wordFinding(finding)
    expect(title).toBe('Whole build context copied')
    expect(detail).toContainEqual({ code: 'COPY . /app x  @me next' })
    expect(plainText(detail)).toContain('Layer 6 runs `COPY . /app x  @me next`.')
  })

  it('2: markdown escapes the prose and keeps code as code, unsafe code as escaped text', () => {
    expect(inlineMarkdown(['Run *this* ', { code: 'make all' }, ' now.'])).toBe(
      'Run \\*this\\* `make all` now.',
    )
    expect(inlineMarkdown(['see ', { code: '@me' }])).toBe('see @&#8203;me')
  })
})
