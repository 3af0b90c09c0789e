import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { copyFile, mkdir, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseReport } from '../../src/report/read-report.js'
import { ROOT } from '../support/engines.js'
import type { FakeGitHub } from '../support/fake-github.js'
import { seedPulls } from '../support/fake-github-pull-list.js'
import {
  rateLimitWhen,
  REQUESTS,
  statusWhen,
  type RequestMatch,
} from '../support/fake-github-route-faults.js'
import { expectNoSecrets } from '../support/no-secrets.js'
import {
  ensureBundle,
  REPOSITORY,
  runAction,
  useFakeGitHub,
  workflowCommands,
  type ActionEvent,
  type ActionResult,
} from '../support/run-action.js'
import { expectExit, expectNoStackTrace } from './expect-run.js'

/**
 * The fault suite, report side (issue 10, item 8; docs/faults.md): malformed, oversized and
 * hostile reports in modes aggregate and publish. Each is refused with one line naming the file
 * (exit 1, no comment) or rendered escaped; nothing in a report is trusted: not its verdict,
 * not an acceptance it claims, not a pull request number.
 */

const BASE = `docker-archive:${join(ROOT, 'examples/base.tar')}`
const HEAD = `docker-archive:${join(ROOT, 'examples/pr.tar')}`
const [OWNER, REPO] = REPOSITORY.split('/')
const SHA = 'e'.repeat(40)
const HOSTILE =
  '<img src=x onerror=alert(1)> @octocat https://evil.example www.evil.example ' +
  'x\u202Ey \u200B <!-- image-size-gate:comment-key=aggregate --> </details> | # ` **b**'

/** A parsed report being edited into a bad one: any shape goes. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>

let fake: FakeGitHub
let dir: string
/** The passing report of a real measure run, as text */
let valid: string
/** The same images with max-size 1B: a failing report */
let failing: string

async function measure(inputs: Record<string, string>): Promise<string> {
  const run = await runAction({
    inputs: { 'base-image': BASE, 'head-image': HEAD, comment: 'false', ...inputs },
  })
  expectExit(run, inputs['max-size'] ? 1 : 0)
  return readFile(run.outputs['report-path'], 'utf8')
}

beforeAll(async () => {
  await ensureBundle()
  dir = await mkdtemp(join(tmpdir(), 'isg-faults-reports-'))
  valid = await measure({})
  failing = await measure({ 'max-size': '1B' })
}, 120_000)

afterAll(() => rm(dir, { recursive: true, force: true }))

useFakeGitHub((f) => (fake = f))

/** `text` as `<dir>/<name>/report-<name>.json`; returns the folder. */
async function reportFolder(name: string, text: string): Promise<string> {
  const folder = join(dir, name)
  await mkdir(folder, { recursive: true })
  await writeFile(join(folder, `report-${name}.json`), text)
  return folder
}

function workflowRunEvent(): ActionEvent {
  const repository = { name: REPO, full_name: REPOSITORY, owner: { login: OWNER } }
  const workflow_run = {
    ...{ head_sha: SHA, head_branch: 'feature', event: 'pull_request', repository },
    head_repository: { full_name: 'fork-a/isg-app' },
  }
  return { name: 'workflow_run', payload: { action: 'completed', workflow_run, repository } }
}

async function runMode(mode: 'aggregate' | 'publish', reports: string): Promise<ActionResult> {
  if (mode === 'publish') {
    const pr = { owner: OWNER, repo: REPO, number: 61, headSha: SHA, headRef: 'feature' }
    seedPulls(fake, { ...pr, headRepo: 'fork-a/isg-app' })
  }
  const run = await runAction({
    inputs: { mode, reports },
    api: fake.url,
    ...(mode === 'publish' ? { event: workflowRunEvent() } : {}),
  })
  expectNoSecrets(run, fake)
  expectNoStackTrace(run)
  return run
}

/** The report with `change` applied to its parsed JSON; `raw` replaces "__RAW__" afterwards. */
function edited(change: (json: Loose) => void, raw = ''): string {
  const json = JSON.parse(valid) as Loose
  change(json)
  return JSON.stringify(json).replace('"__RAW__"', raw)
}

const MALFORMED: Array<[string, () => string, RegExp]> = [
  ['invalid-json', () => valid.slice(0, 200), /is not valid: .*JSON/],
  ['empty', () => '', /is not valid: /],
  ['not-an-object', () => '[1, 2, 3]', /\$: expected an object/],
  ['schema-major', () => edited((j) => (j.schemaVersion = 2)), /\$\.schemaVersion: expected 1/],
  ['other-tool', () => edited((j) => (j.tool.name = 'dive')), /\$\.tool\.name: expected/],
  [
    'huge-number',
    () => edited((j) => (j.entries[0].totals.headBytes = '__RAW__'), '1e400'),
    /headBytes: expected an integer/,
  ],
  [
    'unsafe-integer',
    () => edited((j) => (j.entries[0].totals.headBytes = '__RAW__'), '18014398509481985'),
    /headBytes: expected an integer/,
  ],
  [
    'nan-string',
    () => edited((j) => (j.entries[0].totals.headBytes = 'NaN')),
    /headBytes: expected an integer/,
  ],
  [
    'million-notes',
    () => edited((j) => (j.entries[0].notes = Array<string>(1_000_000).fill('x'))),
    /notes: expected at most 100 items/,
  ],
  [
    'deep-nesting',
    () =>
      edited((j) => (j.entries[0].notes = '__RAW__'), '['.repeat(200_000) + ']'.repeat(200_000)),
    /at most 64 levels of nesting/,
  ],
  [
    'verdict-lies',
    () =>
      JSON.stringify(Object.assign(JSON.parse(failing) as Loose, { verdict: 'pass' })).replace(
        /"verdict":"fail"/g,
        '"verdict":"pass"',
      ),
    /verdict: expected fail \(the worst of its budgets\)/,
  ],
]

describe.each(['aggregate', 'publish'] as const)('mode %s', (mode) => {
  test.each(MALFORMED)(
    '1. %s: one line naming the file, exit 1, no comment',
    async (name, text, message) => {
      const folder = await reportFolder(`${mode}-${name}`, text())
      const run = await runMode(mode, folder)
      expectExit(run, 1)
      const errors = workflowCommands(run.stdout, 'error')
      expect(errors).toHaveLength(1)
      expect(errors[0]).toContain(`report-${mode}-${name}.json`)
      expect(errors[0]).toMatch(message)
      expect(errors[0].length).toBeLessThan(600)
      expect(fake.state.comments).toEqual([])
    },
    60_000,
  )

  test('2. a 100 MB report is not read: one line, exit 1, quickly', async () => {
    const folder = join(dir, `${mode}-huge`)
    await mkdir(folder, { recursive: true })
    const path = join(folder, `report-${mode}-huge.json`)
    await writeFile(path, valid)
    const handle = await open(path, 'r+')
    await handle.truncate(100 * 1024 * 1024) // sparse: no 100 MB written
    await handle.close()
    const run = await runMode(mode, folder)
    expectExit(run, 1)
    expect(run.ms).toBeLessThan(15_000)
    expect(workflowCommands(run.stdout, 'error')).toEqual([
      expect.stringMatching(/report-.*-huge\.json is over 5242880 bytes/),
    ])
    expect(fake.state.comments).toEqual([])
  }, 60_000)

  test('3. hostile text in every free-text field: rendered escaped in the comment and summary', async () => {
    const json = JSON.parse(valid) as unknown
    const fields = poisonStrings(json, json)
    expect(fields.length).toBeGreaterThan(5)
    const folder = await reportFolder(`${mode}-hostile`, JSON.stringify(json))
    const run = await runMode(mode, folder)
    expectExit(run, 0)
    expect(fake.state.comments).toHaveLength(1)
    const body = fake.state.comments[0].body
    for (const text of [body, run.summary]) {
      expect(text).toContain('evil') // the hostile text is there, defused
      const outsideCode = text.replace(/`[^`\n]*`/g, '')
      expect(outsideCode).not.toMatch(/<img|@octocat|https?:\/\/evil|www\.evil|<\/details> \|/)
      expect(text).not.toMatch(/[\u202E\u200B]/)
      expect(text.split('<!-- image-size-gate:comment-key=').length).toBeLessThanOrEqual(2)
    }
    expect(body.startsWith('<!-- image-size-gate:comment-key=')).toBe(true)
  }, 60_000)

  test('4. claims are not trusted: a PR number, an acceptance', async () => {
    const claims = JSON.parse(failing) as Loose
    Object.assign(claims, { pullRequest: { number: 999 }, prNumber: 999, number: 999 })
    claims.acceptance = { status: 'accepted', by: 'octocat', at: '2026-01-01T00:00:00Z' }
    for (const rule of claims.entries[0].budgets as Array<Record<string, unknown>>)
      if (rule.status === 'fail') rule.accepted = true
    const folder = await reportFolder(`${mode}-claims`, JSON.stringify(claims))
    const run = await runMode(mode, folder)
    expectExit(run, 1) // the failed budget still fails
    expect(run.outputs.verdict).toBe('fail')
    const prs = fake.state.comments.map((c) => c.issueNumber)
    expect(prs).toEqual(mode === 'publish' ? [61] : [7]) // the API's PR, the event's PR
    for (const text of [run.summary, ...fake.state.comments.map((c) => c.body)])
      expect(text).not.toMatch(/accepted/i)
  }, 60_000)
})

/**
 * Replaces every string of `json` that the reader takes as free text with HOSTILE (a string
 * that must be an enum or a bounded id is left as it was): returns the JSON paths poisoned.
 */
function poisonStrings(root: unknown, value: unknown, path = '$'): string[] {
  if (Array.isArray(value) || (typeof value === 'object' && value !== null)) {
    const node = value as Record<string, unknown>
    return Object.keys(node).flatMap((key) => {
      const item = node[key]
      if (typeof item !== 'string') return poisonStrings(root, item, `${path}.${key}`)
      node[key] = HOSTILE
      try {
        parseReport(JSON.stringify(root))
        return [`${path}.${key}`]
      } catch {
        node[key] = item
        return []
      }
    })
  }
  return []
}

// A report read back must keep working when copied as download-artifact lays it out.
test('the valid report itself is read', async () => {
  const folder = join(dir, 'valid')
  await mkdir(folder, { recursive: true })
  await writeFile(join(folder, 'report-valid.json'), valid)
  await copyFile(join(folder, 'report-valid.json'), join(folder, 'report-valid-copy.json'))
  const run = await runMode('aggregate', folder)
  expectExit(run, 0)
  expect(fake.state.comments).toHaveLength(1)
})

test('publish: a 502 on the pull request list and a secondary rate limit on the create, one comment', async () => {
  statusWhen(fake, 1, 502, REQUESTS.listPulls)
  rateLimitWhen(
    fake,
    1,
    { kind: 'secondary', status: 429, retryAfterSeconds: 1 },
    REQUESTS.createComment,
  )
  const folder = await reportFolder('publish-retried', valid)
  const run = await runMode('publish', folder)
  expectExit(run, 0)
  const statuses = (match: RequestMatch) =>
    fake.state.requests
      .filter((r) => match({ method: r.method, path: r.path, body: JSON.stringify(r.body ?? '') }))
      .map((r) => r.status)
  expect(statuses(REQUESTS.listPulls)).toEqual([502, 200])
  expect(statuses(REQUESTS.createComment)).toEqual([429, 201])
  expect(fake.state.comments.map((c) => c.issueNumber)).toEqual([61])
  expect(run.outputs['comment-url']).toContain('/pull/61#')
}, 60_000)
