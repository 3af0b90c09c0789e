import { beforeAll, describe, expect, test } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ENGINES, ROOT } from '../support/engines.js'
import { type FakeGitHub } from '../support/fake-github.js'
import {
  buildFixtureImages,
  countSave,
  FILES_FIXTURES,
  fixtureFile,
  fixtureTag,
  saveImage,
  type FilesFixture,
} from '../support/fixture-images.js'
import {
  ensureBundle,
  pullRequestEvent,
  runAction,
  useFakeGitHub,
  type ActionResult,
} from '../support/run-action.js'
import { expectExit, expectNoStackTrace } from './expect-run.js'

/**
 * The file analysis as users run it: the bundled action (`node dist/index.js`) with the
 * runner's environment, on fixture images built from committed Dockerfiles, against the
 * loopback GitHub API. The secret fixture's files are fake, marked isg-fake / ISG-FAKE / isgFAKE.
 */

const classic = ENGINES[0]
const fixture = (name: string): FilesFixture => {
  const found = FILES_FIXTURES.find((f) => f.name === name)
  if (!found) throw new Error(`no fixture ${name}`)
  return found
}
const SECRETS = fixture('secret-file')
const APT = fixture('apt-cache')

let fake: FakeGitHub
useFakeGitHub((f) => (fake = f))

beforeAll(async () => {
  await ensureBundle()
  buildFixtureImages(classic, SECRETS)
  buildFixtureImages(classic, APT)
}, 600_000)

interface FilesJson {
  count: number
  bytes: number
  reclaimableBytes: number
  dive: { efficiency: number; wastedBytes: number; userSizeBytes: number }
  secrets: Array<{ path: string; kind: string; visible: boolean }>
}
interface ReportJson {
  entries: Array<{
    files: { base: FilesJson | null; head: FilesJson; changes: unknown[] } | null
    budgets: Array<{ key: string; status: string }>
    findings: Array<{
      key: string
      bytes?: number
      hint?: boolean
      paths?: Array<{ path: string }>
    }>
  }>
}

async function runPair(
  number: number,
  name: string,
  inputs: Record<string, string> = {},
): Promise<{ run: ActionResult; report: ReportJson; comment: string }> {
  const run = await runAction({
    inputs: {
      'base-image': `docker-daemon:${fixtureTag(name, 'clean')}`,
      'head-image': `docker-daemon:${fixtureTag(name, 'cause')}`,
      ...inputs,
    },
    event: pullRequestEvent(number),
    api: fake.url,
  })
  expectNoStackTrace(run)
  const report = JSON.parse(readFileSync(run.outputs['report-path'], 'utf8')) as ReportJson
  const comments = fake.state.comments.filter((c) => c.issueNumber === number)
  expect(comments).toHaveLength(1)
  return { run, report, comment: comments[0].body }
}

/** Every fake secret's marker words, and the content lines of the committed fake files */
function secretTexts(): string[] {
  const lines = [
    fixtureFile('secret-file', 'app/.env'),
    fixtureFile('secret-file', 'npmrc'),
    fixtureFile('secret-file', 'app/deploy/id_ed25519'),
  ]
    .map((path) => readFileSync(join(ROOT, path), 'utf8'))
    .flatMap((text) => text.split('\n').filter((line) => line.trim().length > 12))
  return ['isg-fake', 'ISG-FAKE', 'isgFAKE', ...lines]
}

describe('the file analysis through the bundled action', () => {
  test('a secret in the PR image fails the step by default, named by path, its content nowhere', async () => {
    const { run, report, comment } = await runPair(41, 'secret-file')
    expectExit(run, 1)
    const [entry] = report.entries
    expect(entry.budgets.find((b) => b.key === 'secrets')?.status).toBe('fail')
    const paths = entry.files?.head.secrets.map((s) => [s.path, s.visible]).sort()
    expect(paths).toEqual([
      ['/app/.env', true],
      ['/app/deploy/id_ed25519', false],
      ['/root/.npmrc', true],
    ])
    expect(entry.findings.some((f) => f.key === 'secret-file')).toBe(true)
    expect(comment).toContain('/app/.env')
    expect(comment).toContain('id\\_ed25519')
    const everywhere = [
      comment,
      run.summary,
      run.stdout,
      run.stderr,
      readFileSync(run.outputs['report-path'], 'utf8'),
      JSON.stringify(run.outputs),
    ].join('\n')
    for (const text of secretTexts()) expect(everywhere).not.toContain(text)
  })

  test('secrets: warn keeps the verdict a warning, the finding still there', async () => {
    const { run, report } = await runPair(42, 'secret-file', { secrets: 'warn' })
    expectExit(run, 0)
    expect(report.entries[0].budgets.find((b) => b.key === 'secrets')?.status).toBe('warn')
    expect(run.outputs.verdict).toBe('warn')
  })

  test('an apt cache left in the image: the finding carries the bytes an independent count finds', async () => {
    const { run, report, comment } = await runPair(43, 'apt-cache', {
      'max-reclaimable-increase': '1MB',
    })
    expectExit(run, 0)
    const count = countSave(saveImage(classic, fixtureTag('apt-cache', 'cause')), APT.prefixes)[0]
    const expected = APT.prefixes.reduce((sum, p) => sum + count.prefixes[p].bytes, 0)
    expect(expected).toBeGreaterThan(100_000)
    const [entry] = report.entries
    const caches = entry.findings.filter((f) => f.key === 'package-cache-left')
    expect(caches.reduce((sum, f) => sum + (f.bytes ?? 0), 0)).toBe(expected)
    expect(caches.every((f) => f.hint !== true)).toBe(true)
    expect(entry.files?.head).toMatchObject({ count: count.count, bytes: count.bytes })
    expect(entry.budgets.find((b) => b.key === 'max-reclaimable-increase')?.status).toBe('pass')
    expect(comment).toContain('What grew')
    expect(comment).toContain('/var/lib/apt/lists')
    expect(comment).toContain('rm -rf /var/lib/apt/lists/*')
  })

  test('file-analysis: false gives the layer figures alone, and the causes as hints', async () => {
    const { run, report, comment } = await runPair(44, 'apt-cache', { 'file-analysis': 'false' })
    expectExit(run, 0)
    const [entry] = report.entries
    expect(entry.files).toBeNull()
    expect(entry.budgets.some((b) => b.key === 'secrets')).toBe(false)
    expect(comment).not.toContain('What grew')
    expect(entry.findings.every((f) => f.hint === true || f.key === 'fat-base-image')).toBe(true)
  })
})
