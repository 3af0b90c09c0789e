import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { JsonReport } from '../../src/report/json-report.js'
import { buildFixtures, dockerCli, ENGINES, ROOT } from '../support/engines.js'
import { MAX_COMMENT_CHARS, type FakeGitHub } from '../support/fake-github.js'
import { ensureBundle, pullRequestEvent, runAction, useFakeGitHub } from '../support/run-action.js'
import { expectExit, expectNoStackTrace } from './expect-run.js'

/**
 * A PR whose Dockerfile (fixtures/images/hostile) tries to break out of the comment: mentions,
 * HTML, pipes, backticks, a fake sticky marker, `</details>` and a 5,000-character step. The
 * bundled action runs on the classic engine; the body the fake GitHub API received is checked.
 */

const classic = ENGINES[0]
const HOSTILE = 'isg-fixture/hostile:1'
const BUSYBOX = 'isg-fixture/busybox:1'
const MARKER = '<!-- image-size-gate:comment-key=docker.io/isg-fixture/'

let fake: FakeGitHub

beforeAll(async () => {
  await ensureBundle()
  buildFixtures(classic)
  const context = join(ROOT, 'fixtures/images/hostile')
  dockerCli(classic, ['build', '--quiet', '--network', 'host', '-t', HOSTILE, context])
})

useFakeGitHub((f) => (fake = f))

const count = (text: string, part: string) => text.split(part).length - 1

/** A table row split at the pipes that end cells: a backslash escapes the next character (GFM). */
function splitRow(row: string): string[] {
  const cells = ['']
  for (let i = 0; i < row.length; i++) {
    if (row[i] === '\\') cells[cells.length - 1] += row.slice(i, ++i + 1)
    else if (row[i] === '|') cells.push('')
    else cells[cells.length - 1] += row[i]
  }
  return cells
}

/** The body's tables: runs of consecutive lines that start with a pipe. */
function tables(body: string): string[][] {
  const found: string[][] = []
  let current: string[] = []
  for (const line of [...body.split('\n'), '']) {
    if (line.startsWith('|')) current.push(line)
    else if (current.length > 0) {
      found.push(current)
      current = []
    }
  }
  return found
}

describe('hostile Dockerfile steps in the PR comment', () => {
  test.each([
    ['added to a clean base', BUSYBOX, HOSTILE, 301],
    ['unchanged, folded into <details>', HOSTILE, HOSTILE, 302],
    ['removed from a hostile base', HOSTILE, BUSYBOX, 303],
  ])('%s', async (_name, base, head, number) => {
    const run = await runAction({
      inputs: { 'base-image': base, 'head-image': head },
      event: pullRequestEvent(number),
      api: fake.url,
    })
    expectExit(run, 0)
    expectNoStackTrace(run)
    expect(fake.state.comments).toHaveLength(1)
    const body = fake.state.comments[0].body
    const report = JSON.parse(await readFile(run.outputs['report-path'], 'utf8')) as JsonReport

    // The hostile steps are in the table, defused: no raw mention, HTML or link.
    expect(body).toContain('@&#8203;octocat')
    expect(body).not.toContain('@octocat')
    expect(body).not.toMatch(/<(img|script)/i)
    expect(body).not.toContain('](https://')
    // One sticky marker, the renderer's own, first.
    expect(body.startsWith(MARKER)).toBe(true)
    expect(count(body, '<!--')).toBe(1)
    expect(count(body, '-->')).toBe(1)
    // <details> only as the renderer emits it: one block per entry with unchanged layers.
    const unchanged = report.entries.filter((e) => e.layers.some((l) => l.change === 'unchanged'))
    expect(count(body, '<details>')).toBe(unchanged.length)
    expect(count(body, '</details>')).toBe(unchanged.length)
    expect(count(body, '<summary>')).toBe(unchanged.length)
    expect(count(body, '</sub>')).toBe(1)
    // Every row of every table splits into the same cells as its header.
    const found = tables(body)
    expect(found.length).toBeGreaterThanOrEqual(2)
    for (const table of found) {
      const pipes = splitRow(table[0]).length - 1
      for (const row of table) expect([row, splitRow(row).length - 1]).toEqual([row, pipes])
    }
    // The 5,000-character step is cut to one short cell.
    const longStep = found
      .flat()
      .flatMap(splitRow)
      .find((cell) => cell.includes("RUN echo '\\| @&#8203;octocat"))
    expect(longStep?.trim()).toMatch(/…$/)
    expect(longStep?.length).toBeLessThan(500)
    expect(body.length).toBeLessThan(MAX_COMMENT_CHARS)
  })
})

/**
 * Text that autolinks or hides itself: bare `www.` domains, URLs, emails, issue references,
 * bidirectional overrides and zero-width characters, in the PR's own steps (issue 7, item 5).
 * Each must reach the comment and the summary inert: no link, and every invisible character
 * shown as a visible `<U+XXXX>`.
 */
const SNEAKY = 'isg-publish/sneaky-text:1'
const INVISIBLE = /[\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF]/u

describe('autolinks and invisible characters in the PR comment and the summary', () => {
  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'isg-publish-sneaky-'))
    const steps = [
      "RUN echo 'see www.evil.example or WWW.Evil.example' > /www.txt",
      "RUN echo 'http://evil.example/x https://evil.example ftp://evil.example' > /url.txt",
      "RUN echo 'mail eve@evil.example about #123, GH-45 and org/repo#6' > /ref.txt",
      "RUN echo 'invoice\u202Etxt.exe \u2066isolated\u2069 ok' > /bidi.txt",
      "RUN echo 'zero\u200Bwidth jo\u200Din \uFEFFbom \u061Calm wo\u2060rd \u200E\u200F' > /zw.txt",
    ]
    await writeFile(join(dir, 'Dockerfile'), `FROM ${BUSYBOX}\n${steps.join('\n')}\n`)
    try {
      dockerCli(classic, ['build', '--quiet', '--network', 'host', '-t', SNEAKY, dir])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  afterAll(() => {
    dockerCli(classic, ['rmi', '-f', SNEAKY])
  })

  test('neither autolinks nor hides text', async () => {
    const run = await runAction({
      inputs: { 'base-image': BUSYBOX, 'head-image': SNEAKY },
      event: pullRequestEvent(304),
      api: fake.url,
    })
    expectExit(run, 0)
    expectNoStackTrace(run)
    expect(fake.state.comments).toHaveLength(1)
    const body = fake.state.comments[0].body
    for (const text of [body, run.summary]) {
      // The steps are there (five changed rows), each defused.
      expect(text).toContain('evil')
      expect(text).toContain('isolated')
      expect(text).not.toMatch(/www\.[a-z]/i)
      expect(text).not.toMatch(/(https?|ftp):\/\//)
      expect(text).not.toMatch(/[a-z]@[a-z]/i)
      expect(text).not.toMatch(/(?<!&)#\d|GH-\d/i) // &#8203; is the escape's own entity
      expect(text).not.toMatch(INVISIBLE)
      // (U+FEFF is white space to JavaScript: the step's normalisation already makes it a space.)
      for (const code of ['202E', '2066', '2069', '200B', '200D', '061C', '2060'])
        expect(text).toContain(`&lt;U\\+${code}&gt;`) // renders as <U+202E>
    }
  })
})
