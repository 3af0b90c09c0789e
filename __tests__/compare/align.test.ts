import { describe, expect, it } from '@jest/globals'
import { alignLayers, longestCommonSubsequence } from '../../src/compare/align.js'
import { compareImages } from '../../src/compare/compare.js'
import type { Layer } from '../../src/model/image.js'
import { normaliseInstruction } from '../../src/model/instruction.js'
import { image } from '../support/images.js'

const items = (layers: Layer[]) =>
  layers.map((l) => ({ diffId: l.diffId, step: normaliseInstruction(l.instruction) }))

const rows = (base: Array<[string, string, number]>, head: Array<[string, string, number]>) =>
  alignLayers(items(image('b', base).layers), items(image('h', head).layers)).map(
    (r) => `${r.change}:${r.baseIndex ?? '-'}>${r.headIndex ?? '-'}`,
  )

describe('alignLayers', () => {
  const A: [string, string, number] = ['a', 'COPY file:x in /bin', 10]
  const B: [string, string, number] = ['b', '/bin/sh -c apk add curl', 20]
  const C: [string, string, number] = ['c', '/bin/sh -c make', 30]
  const D: [string, string, number] = ['d', '/bin/sh -c make test', 40]

  it('1: identical images are all unchanged', () => {
    expect(rows([A, B, C], [A, B, C])).toEqual(['unchanged:0>0', 'unchanged:1>1', 'unchanged:2>2'])
  })
  it('2: an inserted step is one added row, later layers stay matched', () => {
    const C2: [string, string, number] = ['c2', '/bin/sh -c make', 31]
    expect(rows([A, B, C], [A, D, B, C2])).toEqual([
      'unchanged:0>0',
      'added:->1',
      'unchanged:1>2',
      'changed:2>3',
    ])
  })
  it('3: an edited step in the middle is one changed row', () => {
    const B2: [string, string, number] = ['b2', '/bin/sh -c apk add curl jq', 25]
    expect(rows([A, B, C], [A, B2, C])).toEqual(['unchanged:0>0', 'changed:1>1', 'unchanged:2>2'])
  })
  it('4: a reorder of identical layers changes nothing (shared by diff ID)', () => {
    expect(rows([A, B, C], [A, C, B])).toEqual(['unchanged:0>0', 'unchanged:2>1', 'unchanged:1>2'])
  })
  it('5: disjoint images are all removed and added', () => {
    const X: [string, string, number] = ['x', 'ADD rootfs.tar /', 1]
    const Y: [string, string, number] = ['y', '/bin/sh -c apt-get install -y gcc', 2]
    expect(rows([A, B], [X])).toEqual(['removed:0>-', 'removed:1>-', 'added:->0'])
    expect(rows([A], [X, Y])).toEqual(['removed:0>-', 'added:->0', 'added:->1'])
  })
  it('6: a removed step sits where it stood in the base', () => {
    expect(rows([A, B, C], [A, C])).toEqual(['unchanged:0>0', 'removed:1>-', 'unchanged:2>1'])
  })
  it('7: a rebuilt step (same instruction, new content) is changed, whatever the builder wrote', () => {
    const base: Array<[string, string, number]> = [
      A,
      ['r1', '/bin/sh -c #(nop) COPY dir:' + 'a'.repeat(64) + ' in /app ', 5],
    ]
    const head: Array<[string, string, number]> = [
      A,
      ['r2', 'COPY dir:' + 'b'.repeat(64) + ' in /app ', 7],
    ]
    expect(rows(base, head)).toEqual(['unchanged:0>0', 'changed:1>1'])
  })
  it('8: no baseline: every layer is added', () => {
    expect(rows([], [A, B])).toEqual(['added:->0', 'added:->1'])
  })
})

describe('longestCommonSubsequence', () => {
  it('finds one longest common subsequence', () => {
    expect(longestCommonSubsequence(['a', 'b', 'c', 'd'], ['b', 'x', 'd'])).toEqual([
      [1, 0],
      [3, 2],
    ])
    expect(longestCommonSubsequence([], ['a'])).toEqual([])
  })
})

describe('compareImages', () => {
  it('totals, deltas and percentages on the uncompressed basis', () => {
    const base = image('app:base', [
      ['a', 'COPY x', 1000],
      ['b', 'RUN make', 500],
    ])
    const head = image('app:pr', [
      ['a', 'COPY x', 1000],
      ['c', 'RUN make', 700],
      ['d', 'RUN extra', 300],
    ])
    const c = compareImages(base, head, { basis: 'uncompressed' })
    expect(c.totals).toEqual({
      baseBytes: 1500,
      headBytes: 2000,
      deltaBytes: 500,
      deltaPercent: (500 / 1500) * 100,
    })
    expect(c.layers.map((l) => [l.change, l.baseBytes, l.headBytes, l.deltaBytes])).toEqual([
      ['unchanged', 1000, 1000, 0],
      ['changed', 500, 700, 200],
      ['added', undefined, 300, 300],
    ])
    expect(c.noBaseline).toBeUndefined()
  })

  it('without a base image: no baseline, no delta, not an error', () => {
    const head = image('app:pr', [['a', 'COPY x', 1000]])
    const c = compareImages(undefined, head, {
      basis: 'uncompressed',
      noBaseline: 'base image app:main not found',
    })
    expect(c.noBaseline).toBe('base image app:main not found')
    expect(c.totals).toEqual({
      baseBytes: undefined,
      headBytes: 1000,
      deltaBytes: undefined,
      deltaPercent: undefined,
    })
  })

  it('never compares across bases: unknown compressed sizes give no totals and a note', () => {
    const base = image('app:base', [['a', 'COPY x', 1000]])
    const head = image('app:pr', [['a', 'COPY x', 1000]])
    const c = compareImages(base, head, { basis: 'compressed' })
    expect(c.totals.headBytes).toBeUndefined()
    expect(c.totals.deltaBytes).toBeUndefined()
    expect(c.notes.join(' ')).toMatch(/compressed sizes are not known/)
  })

  it('new bytes to pull are the compressed PR layers whose digests the base lacks', () => {
    const withBlobs = (ref: string, layers: Array<[string, number]>) =>
      image(
        ref,
        layers.map(([d], i) => [d, `RUN ${i}`, 1]),
        {},
      ).layers.map((l, i) => ({
        ...l,
        digest: `sha256:blob-${layers[i][0]}`,
        compressedBytes: layers[i][1],
      }))
    const base = {
      ...image('b', []),
      layers: withBlobs('b', [
        ['a', 100],
        ['b', 50],
      ]),
    }
    const head = {
      ...image('h', []),
      layers: withBlobs('h', [
        ['a', 100],
        ['c', 70],
        ['d', 30],
      ]),
    }
    const c = compareImages(base, head, { basis: 'uncompressed' })
    expect(c.pull).toEqual({
      baseBytes: 150,
      headBytes: 200,
      deltaBytes: 50,
      deltaPercent: (50 / 150) * 100,
      newBytes: 100,
    })
  })
})
