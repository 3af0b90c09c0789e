import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Inputs } from '../../src/action/inputs.js'
import { runGate } from '../../src/gate.js'
import { parseOptions } from '../../src/options.js'
import type { Report } from '../../src/report/report.js'
import { silentLogger } from '../../src/util/log.js'

/**
 * The action's publisher, called directly. The GitHub modules publishComment loads on first use
 * (@actions/github, the Octokit factory, the comment publisher) are replaced by recording fakes
 * at the dynamic-import boundary, so a test sees whether they were loaded at all (an ES module
 * is loaded once: test 1, which must load none, runs first).
 */

const loaded: string[] = []
const published: unknown[] = []
jest.unstable_mockModule('@actions/github', () => {
  loaded.push('@actions/github')
  return {
    context: {
      eventName: 'pull_request',
      payload: { pull_request: { number: 7 } },
      repo: { owner: 'isg-org', repo: 'isg-app' },
    },
  }
})
jest.unstable_mockModule('../../src/github/octokit.js', () => {
  loaded.push('octokit')
  return { createOctokit: () => ({}) }
})
jest.unstable_mockModule('../../src/github/publish-comment.js', () => {
  loaded.push('publish-comment')
  return {
    tryPublishComment: (options: unknown) => {
      published.push(options)
      return Promise.resolve({ ok: true, action: 'created', url: 'https://example.test/c/1' })
    },
  }
})
const { commentBehaviour, publishComment, writeReport } =
  await import('../../src/action/publish.js')

const dir = mkdtempSync(join(tmpdir(), 'isg-inputs8-publish-'))
const saved = { ...process.env }
let report: Report

function inputs(overrides: Partial<Inputs> = {}): Inputs {
  return {
    gate: parseOptions({ 'head-image': 'docker-archive:examples/pr.tar' }),
    comment: true,
    ...{ commentMode: 'update', commentWhen: 'always', deleteStale: false, checkRun: false },
    commentKey: 'isg-inputs8',
    githubToken: 'token',
    accept: { label: '', inBody: false },
    mode: 'measure',
    reports: [],
    ...overrides,
  }
}

/** GITHUB_OUTPUT's `name<<delimiter … delimiter` records. */
function outputs(): Record<string, string> {
  const text = readFileSync(process.env.GITHUB_OUTPUT as string, 'utf8')
  const out: Record<string, string> = {}
  for (const m of text.matchAll(/^([a-z-]+)<<(.+)\n([\s\S]*?)\n?\2$/gm)) out[m[1]] = m[3]
  return out
}

beforeAll(async () => {
  report = await runGate(
    parseOptions({
      'base-image': 'docker-archive:examples/base.tar',
      'head-image': 'docker-archive:examples/pr.tar',
      'max-increase': '10%',
    }),
    { log: silentLogger },
  )
})
beforeEach(() => {
  loaded.length = 0
  published.length = 0
  for (const name of ['GITHUB_OUTPUT', 'GITHUB_STEP_SUMMARY']) {
    const path = join(dir, name)
    writeFileSync(path, '')
    process.env[name] = path
  }
  process.env.RUNNER_TEMP = dir
})
afterAll(() => {
  process.env = saved
  rmSync(dir, { recursive: true, force: true })
})

describe('publishComment', () => {
  it('1: comment false loads no GitHub module, posts nothing and sets comment-url empty', async () => {
    await publishComment(report, inputs({ comment: false }))
    expect(loaded).toEqual([])
    expect(published).toEqual([])
    expect(outputs()).toEqual({ 'comment-url': '' })
  })

  it('2: comment true posts the comment under its key and sets comment-url', async () => {
    await publishComment(report, inputs())
    expect(loaded).toEqual(
      expect.arrayContaining(['@actions/github', 'octokit', 'publish-comment']),
    )
    expect(published).toEqual([
      expect.objectContaining({
        owner: 'isg-org',
        repo: 'isg-app',
        issueNumber: 7,
        key: 'isg-inputs8',
      }),
    ])
    expect(outputs()).toEqual({ 'comment-url': 'https://example.test/c/1' })
  })

  it('3: an empty github-token posts nothing', async () => {
    await publishComment(report, inputs({ githubToken: '' }))
    expect(published).toEqual([])
    expect(outputs()).toEqual({ 'comment-url': '' })
  })
})

describe('writeReport', () => {
  it('writes the JSON report, the summary and every output but comment-url, without GitHub', async () => {
    await writeReport(report, inputs())
    const out = outputs()
    expect(Object.keys(out).sort()).toEqual(
      [
        'base-size',
        'head-size',
        'size-delta',
        'size-delta-percent',
        'base-compressed-size',
        'head-compressed-size',
        'new-pull-bytes',
        'verdict',
        'report-path',
      ].sort(),
    )
    const totals = report.entries[0].comparison.totals
    expect(out['head-size']).toBe(String(totals.headBytes))
    expect(out['size-delta']).toBe(String(totals.deltaBytes))
    expect(out.verdict).toBe(report.verdict)
    expect(JSON.parse(readFileSync(out['report-path'], 'utf8'))).toHaveProperty(
      'verdict',
      report.verdict,
    )
    expect(readFileSync(process.env.GITHUB_STEP_SUMMARY as string, 'utf8')).toContain(
      'Image size budget',
    )
  })
})

describe('commentBehaviour', () => {
  const shrunk = (r: Report): Report => ({
    ...r,
    verdict: 'pass',
    entries: r.entries.map((e) => ({
      ...e,
      comparison: { ...e.comparison, totals: { ...e.comparison.totals, deltaBytes: 0 } },
    })),
  })

  it('1. the defaults ask for nothing special (the plain sticky update)', () => {
    expect(commentBehaviour(report, inputs())).toBeUndefined()
  })

  it('2. problems follows the verdict; a failing or growing report is never stale', () => {
    const behaviour = commentBehaviour(
      report,
      inputs({ commentWhen: 'problems', deleteStale: true }),
    )
    expect(report.verdict).toBe('fail')
    expect(behaviour).toEqual({ mode: 'update', when: 'problems', problems: true, stale: false })
    const grownPass = { ...report, verdict: 'pass' as const }
    expect(commentBehaviour(grownPass, inputs({ deleteStale: true }))?.stale).toBe(false)
  })

  it('3. delete-stale: pass with nothing grown is stale; without delete-stale it is not', () => {
    expect(commentBehaviour(shrunk(report), inputs({ deleteStale: true }))).toEqual({
      ...{ mode: 'update', when: 'always', problems: false, stale: true },
    })
    const recreate = commentBehaviour(shrunk(report), inputs({ commentMode: 'recreate' }))
    expect(recreate).toEqual({ mode: 'recreate', when: 'always', problems: false, stale: false })
  })
})
