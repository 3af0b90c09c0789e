import { describe, expect, it } from '@jest/globals'
import type { SizePoint } from '../../src/model/size-history.js'
import { appendPoints, type HistoryStoreApi } from '../../src/size-history/append-points.js'
import { historyFilePath, parseHistoryFile } from '../../src/size-history/history-file.js'
import { readSizeHistory } from '../../src/size-history/read-history.js'
import type { Logger } from '../../src/util/log.js'

/** An in-memory branch: commits are maps of files; `beforeWrite` lets a test move it. */
class MemoryBranch implements HistoryStoreApi {
  commits = new Map<string, Map<string, string>>()
  head: string | undefined
  writes = 0
  beforeWrite?: () => void
  readHead = () => Promise.resolve(this.head)
  readFile = (commit: string, path: string) => Promise.resolve(this.commits.get(commit)?.get(path))
  writeFile(parent: string | undefined, path: string, text: string): Promise<'written' | 'moved'> {
    this.writes++
    this.beforeWrite?.()
    if (parent !== this.head) return Promise.resolve('moved')
    this.commit(path, text)
    return Promise.resolve('written')
  }
  commit(path: string, text: string) {
    const files = new Map(this.head ? this.commits.get(this.head) : undefined)
    files.set(path, text)
    this.head = `c${this.commits.size + 1}`
    this.commits.set(this.head, files)
  }
  latest = (path: string) =>
    Promise.resolve(this.head ? this.commits.get(this.head)?.get(path) : undefined)
}

const NOW = new Date('2026-06-30T12:00:00Z')
const point = (n: number, key = 'app'): SizePoint => ({
  sha: n.toString(16).padStart(40, '0'),
  time: new Date(NOW.getTime() - (10 - n) * 3_600_000).toISOString(),
  key,
  layers: 2,
  uncompressedBytes: 1000 * n,
})

function recorder(): Logger & { lines: string[] } {
  const lines: string[] = []
  return {
    lines,
    debug() {},
    info: (m) => lines.push(m),
    warning: (m) => lines.push(`warning: ${m}`),
  }
}

const append = (store: HistoryStoreApi, points: SizePoint[], log = recorder(), key = 'app') =>
  appendPoints(store, { branch: 'main', key, points, now: NOW, log, delayMs: () => 0 })

const stored = async (store: MemoryBranch, key = 'app') =>
  (await readSizeHistory(store.latest, { branch: 'main', key, storeBranch: 'h' })).points

describe('appendPoints', () => {
  it('1. creates the file on a new branch, then appends', async () => {
    const store = new MemoryBranch()
    expect(await append(store, [point(1)])).toMatchObject({
      status: 'written',
      points: 1,
      attempts: 1,
    })
    await append(store, [point(2)])
    expect((await stored(store)).map((p) => p.uncompressedBytes)).toEqual([1000, 2000])
  })

  it('2. merges again when the branch moved between read and write: both writers’ points stay', async () => {
    const store = new MemoryBranch()
    await append(store, [point(1)])
    let raced = false
    store.beforeWrite = () => {
      if (raced) return
      raced = true // another run wrote point 2 meanwhile
      const path = historyFilePath('main', 'app')
      const theirs = parseHistoryFile(store.commits.get(store.head ?? '')?.get(path) ?? '', {
        branch: 'main',
        key: 'app',
      })
      store.commit(path, JSON.stringify({ ...theirs, points: [...theirs.points, point(2)] }))
    }
    const log = recorder()
    expect(await append(store, [point(3)], log)).toMatchObject({ status: 'written', attempts: 2 })
    expect((await stored(store)).map((p) => p.uncompressedBytes)).toEqual([1000, 2000, 3000])
    expect(log.lines.join('\n')).toMatch(/moved while writing \(attempt 1 of 5\)/)
  })

  it('3. gives up after a bounded number of lost races', async () => {
    const store = new MemoryBranch()
    store.beforeWrite = () => store.commit('other.json', '{}')
    await expect(append(store, [point(1)])).rejects.toThrow(/kept moving: 5 writes/)
    expect(store.writes).toBe(5)
  })

  it('4. replaces a corrupt file with a warning', async () => {
    const store = new MemoryBranch()
    store.commit(historyFilePath('main', 'app'), '{not json')
    const log = recorder()
    await append(store, [point(1)], log)
    expect(log.lines.join('\n')).toMatch(
      /warning: The stored size history .* is unreadable \(it is not JSON\)/,
    )
    expect(await stored(store)).toHaveLength(1)
  })

  it('5. leaves a file of a newer schema alone', async () => {
    const store = new MemoryBranch()
    const newer = JSON.stringify({ schemaVersion: 9, branch: 'main', key: 'app', points: [] })
    store.commit(historyFilePath('main', 'app'), newer)
    expect(await append(store, [point(1)])).toMatchObject({ status: 'skipped' })
    expect(await store.latest(historyFilePath('main', 'app'))).toBe(newer)
  })

  it('6. keeps each key in its own file', async () => {
    const store = new MemoryBranch()
    await append(store, [point(1)])
    await append(store, [point(2, 'api')], recorder(), 'api')
    expect(await stored(store)).toHaveLength(1)
    expect(await stored(store, 'api')).toHaveLength(1)
  })
})

describe('readSizeHistory', () => {
  const read = (text: string | undefined | Error) =>
    readSizeHistory(() => (text instanceof Error ? Promise.reject(text) : Promise.resolve(text)), {
      branch: 'main',
      key: 'app',
      storeBranch: 'image-size-gate-history',
    })

  it('1. no file: no history yet, as a warning, not an error', async () => {
    expect(await read(undefined)).toEqual({
      branch: 'main',
      points: [],
      warning: expect.stringMatching(/^no size history yet for app on main/),
    })
  })

  it('2. a corrupt file: no history, with the reason', async () => {
    const history = await read(
      '{"schemaVersion":1,"branch":"main","key":"app","points":[{"sha":1}]}',
    )
    expect(history.points).toEqual([])
    expect(history.warning).toMatch(/unusable, so it is ignored: \$\.points\[0\]\.key/)
  })

  it('3. a failed request: no history, with the reason', async () => {
    expect((await read(new Error('socket hang up'))).warning).toMatch(
      /could not read .*socket hang up/,
    )
  })
})

describe('appendPoints: keys', () => {
  it('a key longer than the reader accepts is not written', async () => {
    const store = new MemoryBranch()
    const key = 'k'.repeat(301)
    expect(await append(store, [point(1, key)], recorder(), key)).toEqual({
      status: 'skipped',
      reason: 'the image key is longer than 300 characters',
    })
    expect(store.writes).toBe(0)
  })
})
