import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { makeDockerfileRepo } from '../image-build/git-fixture.js'
import { buildFixtures, ENGINES, ROOT } from '../support/engines.js'
import type { FakeGitHub } from '../support/fake-github.js'
import {
  ensureBundle,
  pullRequestEvent,
  runAction,
  useFakeGitHub,
  type ActionResult,
} from '../support/run-action.js'
import { expectExit, expectNoStackTrace } from './expect-run.js'

/**
 * Annotations through `node dist/index.js`: `::warning file=…,line=…` workflow commands on the
 * Dockerfile lines that made the PR image's layers, for images given with the dockerfile input
 * and in build mode (multi-stage, --target), and none for what cannot be mapped.
 */

const BASE = `docker-archive:${join(ROOT, 'examples/base.tar')}`
const HEAD = `docker-archive:${join(ROOT, 'examples/pr.tar')}`

let fake: FakeGitHub
let scratch: string

beforeAll(async () => {
  await ensureBundle()
  scratch = mkdtempSync(join(tmpdir(), 'isg-annotations-'))
})
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

useFakeGitHub((f) => (fake = f))

/** Each `::warning` with a file, as "file:line-endLine title" (properties unescaped) */
function annotations(run: ActionResult): string[] {
  const unescape = (s: string) =>
    s.replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%0A/g, '\n').replace(/%25/g, '%')
  return run.stdout
    .split('\n')
    .filter((line) => /^::warning [^:]*file=/.test(line))
    .map((line) => {
      const props = Object.fromEntries(
        /^::warning ([^:]*)::/
          .exec(line)![1]
          .split(',')
          .map((p) => p.split('=') as [string, string]),
      )
      return `${unescape(props.file)}:${props.line}-${props.endLine} ${unescape(props.title)}`
    })
}

function runWith(inputs: Record<string, string>, workspace = ROOT, number = 7) {
  return runAction({
    inputs: { 'base-image': BASE, 'head-image': HEAD, comment: 'false', ...inputs },
    event: pullRequestEvent(number),
    api: fake.url,
    env: { GITHUB_WORKSPACE: workspace },
  })
}

describe('annotations with images given and the dockerfile input', () => {
  test('1: the largest growth and each finding on the lines of examples/Dockerfile.pr', async () => {
    const run = await runWith({ dockerfile: 'examples/Dockerfile.pr' })
    expectExit(run, 0)
    expect(annotations(run)).toEqual([
      'examples/Dockerfile.pr:7-7 Image grew +600 kB here',
      'examples/Dockerfile.pr:7-7 Build tools in the final image',
      'examples/Dockerfile.pr:8-8 Files deleted or overwritten in a later layer still ship',
      'examples/Dockerfile.pr:9-9 Files deleted or overwritten in a later layer still ship',
    ])
    // The message is the finding's words, on one line
    expect(run.stdout).toMatch(
      /^::warning title=Build tools in the final image,file=examples\/Dockerfile.pr,line=7,endLine=7::Compilers .* Fix: Use a multi-stage build/m,
    )
    expectNoStackTrace(run)
  })

  test('2: a Dockerfile that no longer matches the image: no annotation at all', async () => {
    const dir = join(scratch, 'edited')
    mkdirSync(dir)
    const text = readFileSync(join(ROOT, 'examples/Dockerfile.pr'), 'utf8')
    // The last layer's step edited: nothing below it can be matched for certain
    writeFileSync(
      join(dir, 'Dockerfile'),
      text.replace('rm -rf /var/cache/pkg', 'rm -rf /var/cache'),
    )
    const run = await runWith({ dockerfile: 'Dockerfile' }, dir)
    expectExit(run, 0)
    expect(annotations(run)).toEqual([])
    expect(run.stdout).toContain('0 annotation(s) on Dockerfile: 0 of 8 layers matched a step')
  })

  test('3: annotations false, or no Dockerfile known: none', async () => {
    const off = await runWith({ dockerfile: 'examples/Dockerfile.pr', annotations: 'false' })
    expectExit(off, 0)
    expect(annotations(off)).toEqual([])
    const none = await runWith({})
    expect(annotations(none)).toEqual([])
  })

  test('4: a bad annotations value is an input error naming it', async () => {
    const run = await runWith({ annotations: 'yes' })
    expectExit(run, 1)
    expect(run.stdout).toMatch(/annotations.*"yes".*"true" or "false"/)
    expectNoStackTrace(run)
  })
})

describe('annotations in build mode', () => {
  test('5: multi-stage with target: the final stage’s lines, the stage copied from never', async () => {
    buildFixtures(ENGINES[0])
    const FROM = 'FROM isg-fixture/busybox:1'
    const lines = [
      `${FROM} AS build`,
      'RUN head -c 3000000 /dev/urandom > /artifact',
      '',
      `${FROM} AS app`,
      'WORKDIR /app',
      'COPY --from=build /artifact /app/artifact',
      'RUN echo ok > /app/ok.txt && \\',
      '    head -c 1500000 /dev/urandom > /app/data',
      '',
      `${FROM} AS debug`,
      'RUN echo debug > /debug.txt',
    ]
    const repo = makeDockerfileRepo(scratch, 'multi', [FROM], lines)
    const event = pullRequestEvent(8)
    ;(event.payload.pull_request as { base: { sha: string } }).base.sha = repo.baseSha
    const run = await runAction({
      inputs: { context: '.', target: 'app', 'build-network': 'host', comment: 'false' },
      event,
      api: fake.url,
      env: { GITHUB_WORKSPACE: repo.dir, GITHUB_RUN_ID: `isg-ann-${process.pid}` },
      timeoutMs: 180_000,
    })
    expectExit(run, 0)
    expect(annotations(run)).toEqual([
      'Dockerfile:6-6 Image grew +3.00 MB here',
      'Dockerfile:7-8 Image grew +1.50 MB here',
    ])
    expectNoStackTrace(run)
  }, 200_000)
})
