import { describe, expect, it } from '@jest/globals'
import type { SizePoint } from '../../src/model/size-history.js'
import {
  HISTORY_CAPS,
  HistoryFileError,
  historyFilePath,
  parseHistoryFile,
  serialiseHistoryFile,
} from '../../src/size-history/history-file.js'

const WHERE = { branch: 'main', key: 'ghcr.io/org/app' }
const POINT: SizePoint = {
  sha: 'a'.repeat(40),
  time: '2026-06-01T10:00:00.000Z',
  key: WHERE.key,
  platform: 'linux/arm64',
  uncompressedBytes: 123_456,
  compressedBytes: 45_678,
  layers: 4,
  pullBytes: 45_678,
  reclaimableBytes: 1_000,
  layerChanges: [{ instruction: 'RUN apt-get install -y curl', deltaBytes: 20_000 }],
}

const file = (points: unknown[], extra: Record<string, unknown> = {}) =>
  JSON.stringify({ schemaVersion: 1, ...WHERE, points, ...extra })

function problem(text: string): HistoryFileError {
  try {
    parseHistoryFile(text, WHERE)
  } catch (error) {
    if (error instanceof HistoryFileError) return error
    throw error
  }
  throw new Error('the file was accepted')
}

describe('the stored history file', () => {
  it('1. reads back what it writes', () => {
    const text = serialiseHistoryFile({ ...WHERE, points: [POINT] })
    expect(parseHistoryFile(text, WHERE).points).toEqual([POINT])
    expect(text.split('\n').filter((l) => l.includes('"sha"'))).toHaveLength(1)
  })

  it('2. one file name per key and branch, made of safe characters', () => {
    const a = historyFilePath('main', 'ghcr.io/org/app')
    const b = historyFilePath('main', 'ghcr.io_org/app')
    expect(a).not.toBe(b)
    expect(a).toMatch(/^sizes\/main-[0-9a-f]{8}\/ghcr\.io_org_app-[0-9a-f]{8}\.json$/)
    expect(historyFilePath('../..', '<script>')).toMatch(
      /^sizes\/key-[0-9a-f]{8}\/script_-[0-9a-f]{8}\.json$/,
    )
  })

  it('3. cuts long instructions and keeps 5 layer changes when writing', () => {
    const changes = Array.from({ length: 8 }, (_, i) => ({
      instruction: 'x'.repeat(1000),
      deltaBytes: i,
    }))
    const text = serialiseHistoryFile({ ...WHERE, points: [{ ...POINT, layerChanges: changes }] })
    const [read] = parseHistoryFile(text, WHERE).points
    expect(read.layerChanges).toHaveLength(5)
    expect(read.layerChanges?.[0].instruction).toHaveLength(HISTORY_CAPS.instructionChars)
  })

  it.each([
    ['not JSON', '{"schemaVersion": 1, "points": [', /not JSON/],
    ['a wrong schema version', file([POINT], { schemaVersion: 0 }), /schemaVersion/],
    ['another key', file([POINT], { key: 'other' }), /\$\.key/],
    ['a point of another key', file([{ ...POINT, key: 'other' }]), /points\[0\]\.key/],
    ['a bad SHA', file([{ ...POINT, sha: 'main; rm -rf /' }]), /points\[0\]\.sha/],
    ['a short SHA', file([{ ...POINT, sha: 'abc1234' }]), /points\[0\]\.sha/],
    ['a bad time', file([{ ...POINT, time: 'yesterday' }]), /points\[0\]\.time/],
    ['a size as text', file([{ ...POINT, uncompressedBytes: '12 MB' }]), /uncompressedBytes/],
    ['a negative size', file([{ ...POINT, compressedBytes: -1 }]), /compressedBytes/],
    ['a fractional layer count', file([{ ...POINT, layers: 1.5 }]), /layers/],
    ['a hostile platform', file([{ ...POINT, platform: '<img src=x>' }]), /platform/],
    [
      'a huge instruction',
      file([{ ...POINT, layerChanges: [{ instruction: 'x'.repeat(5000), deltaBytes: 1 }] }]),
      /instruction/,
    ],
    [
      'too many layer changes',
      file([{ ...POINT, layerChanges: Array(6).fill(POINT.layerChanges?.[0]) }]),
      /layerChanges/,
    ],
    ['a huge array', file(Array(HISTORY_CAPS.points + 1).fill(POINT)), /at most 2000 items/],
    ['points that are not objects', file([42]), /points\[0\]/],
    ['a document that is an array', '[]', /\$/],
  ])('4. refuses %s', (_name, text, message) => {
    expect(problem(text).message).toMatch(message)
  })

  it('5. refuses a file over the byte cap before parsing it', () => {
    expect(problem(' '.repeat(HISTORY_CAPS.fileBytes + 1)).message).toMatch(/larger than/)
  })

  it('6. says when a newer version wrote the file', () => {
    const error = problem(file([POINT], { schemaVersion: 2 }))
    expect(error.newer).toBe(true)
  })

  it('7. keeps only the fields it knows; __proto__ keys reach nothing', () => {
    const text = `{"schemaVersion":1,"branch":"main","key":"${WHERE.key}","__proto__":{"polluted":1},"points":[${JSON.stringify({ ...POINT, extra: 'x' }).replace('{', '{"__proto__":{"polluted":1},')}]}`
    const [read] = parseHistoryFile(text, WHERE).points
    expect(Object.keys(read)).not.toContain('extra')
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect((read as unknown as Record<string, unknown>).polluted).toBeUndefined()
  })
})
