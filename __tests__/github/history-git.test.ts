import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import {
  gitHistoryStore,
  latestHistoryFile,
  listHistoryFolder,
} from '../../src/github/history-git.js'
import { createOctokit } from '../../src/github/octokit.js'
import type { SizePoint } from '../../src/model/size-history.js'
import { appendPoints } from '../../src/size-history/append-points.js'
import { historyFilePath } from '../../src/size-history/history-file.js'
import { readSizeHistory } from '../../src/size-history/read-history.js'
import { silentLogger } from '../../src/util/log.js'
import { FAKE_TOKENS, startFakeGitHub, type FakeGitHub } from '../support/fake-github.js'
import {
  branchFile,
  branchLog,
  commitFiles,
  gitRepo,
  moveRefBeforeUpdate,
} from '../support/fake-github-git.js'

/** The Git Data adapter against the loopback API: the requests GitHub would get, and its answers. */

const WHERE = { owner: 'isg-org', repo: 'isg-app', branch: 'image-size-gate-history' }
const NOW = new Date('2026-06-30T12:00:00Z')
const point = (n: number): SizePoint => ({
  sha: String(n).repeat(40),
  time: new Date(NOW.getTime() - (10 - n) * 60_000).toISOString(),
  key: 'app',
  layers: 2,
  uncompressedBytes: n * 1000,
})

let fake: FakeGitHub
beforeEach(async () => {
  fake = await startFakeGitHub()
})
afterEach(async () => {
  await fake.close()
})

const client = (token: string = FAKE_TOKENS.actions) =>
  createOctokit(token, { baseUrl: fake.url, retryAfterBaseValueMs: 5 })
const append = (points: SizePoint[], token?: string) =>
  appendPoints(gitHistoryStore(client(token), WHERE), {
    ...{ branch: 'main', key: 'app', points, now: NOW, log: silentLogger, delayMs: () => 0 },
  })
const repo = () => gitRepo(fake.state, 'isg-org/isg-app')
const path = historyFilePath('main', 'app')

describe('the history branch through the Git Data API', () => {
  it('1. creates an orphan branch, then adds commits on top of it without force', async () => {
    await append([point(1)])
    await append([point(2)])
    const log = branchLog(repo(), WHERE.branch)
    expect(log).toHaveLength(2)
    expect(log[1].parents).toEqual([]) // orphan: no history of the code branch
    const calls = fake.state.requests.map((r) => `${r.method} ${r.path.replace(/\?.*/, '')}`)
    expect(calls).toContain('POST /repos/isg-org/isg-app/git/refs')
    expect(calls).toContain('PATCH /repos/isg-org/isg-app/git/refs/heads/image-size-gate-history')
    const patch = fake.state.requests.find((r) => r.method === 'PATCH')
    expect(patch?.body).toMatchObject({ force: false })
    const tree = fake.state.requests.filter((r) => r.path.endsWith('/git/trees')).at(-1)
    expect(tree?.body).toHaveProperty('base_tree')
  })

  it('2. keeps the other files of the branch (base_tree)', async () => {
    commitFiles(repo(), WHERE.branch, { 'README.md': 'sizes', 'sizes/x/other.json': '{}' })
    await append([point(1)])
    expect(branchFile(repo(), WHERE.branch, 'README.md')).toBe('sizes')
    expect(branchFile(repo(), WHERE.branch, 'sizes/x/other.json')).toBe('{}')
  })

  it('3. a ref that moved between read and write: 422, read again, both points kept', async () => {
    await append([point(1)])
    moveRefBeforeUpdate(repo(), 1, () => {
      commitFiles(repo(), WHERE.branch, { 'sizes/x/racer.json': 'racer' }, 'another run')
    })
    expect(await append([point(2)])).toMatchObject({ status: 'written', attempts: 2 })
    expect(fake.state.requests.filter((r) => r.status === 422)).toHaveLength(1)
    expect(branchFile(repo(), WHERE.branch, 'sizes/x/racer.json')).toBe('racer')
    const history = await readSizeHistory(latestHistoryFile(client(), WHERE), {
      ...{ branch: 'main', key: 'app', storeBranch: WHERE.branch },
    })
    expect(history.points.map((p) => p.uncompressedBytes)).toEqual([1000, 2000])
  })

  it('4. reads the newest file in one request, with the raw media type', async () => {
    await append([point(1)])
    const before = fake.state.requests.length
    const text = await latestHistoryFile(client(), WHERE)(path)
    expect(JSON.parse(text ?? '')).toMatchObject({ key: 'app', branch: 'main' })
    expect(fake.state.requests.length - before).toBe(1)
    expect(await latestHistoryFile(client(), WHERE)('sizes/none.json')).toBeUndefined()
  })

  it('5. a missing branch reads as no file', async () => {
    expect(await latestHistoryFile(client(), WHERE)(path)).toBeUndefined()
    expect(await listHistoryFolder(client(), WHERE, 'sizes/main')).toBeUndefined()
  })

  it('6. lists a folder of the branch', async () => {
    await append([point(1)])
    const folder = path.slice(0, path.lastIndexOf('/'))
    expect(await listHistoryFolder(client(), WHERE, folder)).toEqual([path])
  })

  it('7. a read-only token gets 403 on the write', async () => {
    await expect(append([point(1)], FAKE_TOKENS.readOnly)).rejects.toMatchObject({ status: 403 })
  })
})
