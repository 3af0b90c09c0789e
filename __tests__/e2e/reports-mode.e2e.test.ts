import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT } from '../support/engines.js'
import type { FakeGitHub } from '../support/fake-github.js'
import { seedPulls } from '../support/fake-github-pull-list.js'
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
 * Modes aggregate and publish (issue 10) through the bundled action: the reports come from
 * real measure runs on the example archives (no engine), the comments go to the loopback fake.
 */

const BASE = `docker-archive:${join(ROOT, 'examples/base.tar')}`
const HEAD = `docker-archive:${join(ROOT, 'examples/pr.tar')}`
const [OWNER, REPO] = REPOSITORY.split('/')
const AGGREGATE_MARKER = '<!-- image-size-gate:comment-key=aggregate -->'
const SHA = 'c'.repeat(40)

let fake: FakeGitHub
let dir: string
/** One folder per leg's artifact, as actions/download-artifact lays them out */
let legs: string

/** A measure run (no comment) whose report is kept under `legs/<key>/` */
async function measure(key: string, inputs: Record<string, string>): Promise<string> {
  const run = await runAction({
    inputs: {
      'base-image': BASE,
      'head-image': HEAD,
      'comment-key': key,
      comment: 'false',
      ...inputs,
    },
  })
  expect(run.outputs['report-path']).toMatch(/report-.+\.json$/)
  const folder = join(legs, key)
  await mkdir(folder, { recursive: true })
  const path = join(folder, `report-${key}.json`)
  await copyFile(run.outputs['report-path'], path)
  return path
}

beforeAll(async () => {
  await ensureBundle()
  dir = await mkdtemp(join(tmpdir(), 'isg-reports-'))
  legs = join(dir, 'legs')
  await measure('web', {})
  await measure('api', { 'warn-size': '1B' })
  await measure('worker', { 'max-size': '1B' })
}, 120_000)

afterAll(() => rm(dir, { recursive: true, force: true }))

useFakeGitHub((f) => (fake = f))

const onPr = (number: number) =>
  fake.state.comments.filter(
    (c) => c.owner === OWNER && c.repo === REPO && c.issueNumber === number,
  )

function aggregate(reports: string, inputs: Record<string, string> = {}): Promise<ActionResult> {
  return runAction({ inputs: { mode: 'aggregate', reports, ...inputs }, api: fake.url })
}

/** A copy of the web leg's report, changed, alone in its folder */
async function variant(name: string, change: (text: string) => string): Promise<string> {
  const folder = join(dir, name)
  await mkdir(folder, { recursive: true })
  const text = await readFile(join(legs, 'web', 'report-web.json'), 'utf8')
  await writeFile(join(folder, `report-${name}.json`), change(text))
  return folder
}

describe('mode aggregate', () => {
  test('three legs: one comment, an overview row each, a collapsed section each; fails on the failing leg', async () => {
    const run = await aggregate(legs)
    expectExit(run, 1)
    expectNoStackTrace(run)
    const comments = onPr(7)
    expect(comments).toHaveLength(1)
    const body = comments[0].body
    expect(body.startsWith(AGGREGATE_MARKER)).toBe(true)
    expect(body).toMatch(
      /\| Result +\| Image +\| Platform +\| +Base \| +PR \| +Change \| Pull size \|/,
    )
    for (const [verdict, key] of [
      ['✅ pass', 'web'],
      ['⚠️ warn', 'api'],
      ['❌ fail', 'worker'],
    ]) {
      expect(body).toMatch(new RegExp(`\\| ${verdict} +\\| \`${key}\` `))
      expect(body).toContain(`<details><summary>${verdict} ${key}</summary>`)
    }
    expect(body.indexOf('| Result')).toBeLessThan(body.indexOf('<details>'))
    expect(run.summary).toContain('<details><summary>❌ fail worker</summary>')
    expect(run.outputs.verdict).toBe('fail')
    const images = JSON.parse(run.outputs.images) as Record<
      string,
      { verdict: string; headBytes: number }
    >
    expect(Object.keys(images).sort()).toEqual(['api', 'web', 'worker'])
    expect(images.worker.verdict).toBe('fail')
    expect(images.web.headBytes).toBeGreaterThan(0)
    expect(workflowCommands(run.stdout, 'error').join('\n')).toContain('over budget: worker')
  })

  test('a second run updates the one comment; passing legs pass the step', async () => {
    const files = [join(legs, 'web', 'report-web.json'), join(legs, 'api', 'report-api.json')]
    expectExit(await aggregate(files.join('\n')), 0)
    const run = await aggregate(files.join(','))
    expectExit(run, 0)
    expect(run.outputs.verdict).toBe('warn')
    expect(onPr(7)).toHaveLength(1)
    expect(onPr(7)[0].body).not.toContain('worker')
  })

  test('hostile strings in a valid report are escaped again', async () => {
    const evil = '<img src=x onerror=alert(1)> @octocat'
    const folder = await variant('hostile', (text) => {
      const json = JSON.parse(text) as {
        entries: Array<{ layers: Array<{ instruction: string }>; notes: string[] }>
      }
      json.entries[0].layers.forEach((l) => (l.instruction = `RUN ${evil}`))
      json.entries[0].notes = [evil]
      return JSON.stringify(json)
    })
    const run = await aggregate(folder)
    expectExit(run, 0)
    const body = onPr(7)[0].body.replace(/`[^`\n]*`/g, '')
    expect(body).toContain('&lt;img')
    expect(body).not.toMatch(/<img|@octocat/)
  })

  test.each([
    ['malformed', (t: string) => t.slice(0, 100), /is not valid: /],
    [
      'wrong types',
      (t: string) => t.replace('"verdict": "pass"', '"verdict": 3'),
      /\$\.verdict: expected one of pass, warn, fail/,
    ],
    [
      'polluting',
      (t: string) => t.replace('{', '{"__proto__": {"x": 1},'),
      /\$\.__proto__: expected no such key/,
    ],
    ['oversized', (t: string) => t + ' '.repeat(6 * 1024 * 1024), /is over 5242880 bytes/],
    [
      'future',
      (t: string) => t.replace('"schemaVersion": 1', '"schemaVersion": 2'),
      /\$\.schemaVersion: expected 1/,
    ],
  ])(
    '%s report: one clear line naming the file, exit 1, no comment',
    async (name, change, message) => {
      const folder = await variant(name, change)
      const run = await aggregate(`${folder}\n${legs}`)
      expectExit(run, 1)
      expectNoStackTrace(run)
      const errors = workflowCommands(run.stdout, 'error').join('\n')
      expect(errors).toContain(`report-${name}.json`)
      expect(errors).toMatch(message)
      expect(onPr(7)).toHaveLength(0)
    },
  )

  test('reports missing: the input is named', async () => {
    const run = await runAction({ inputs: { mode: 'aggregate' }, api: fake.url })
    expectExit(run, 1)
    expect(workflowCommands(run.stdout, 'error').join('\n')).toMatch(/reports/)
    expect(onPr(7)).toHaveLength(0)
  })
})

function workflowRunEvent(headRepository: string, headBranch = 'feature'): ActionEvent {
  const repository = { name: REPO, full_name: REPOSITORY, owner: { login: OWNER } }
  return {
    name: 'workflow_run',
    payload: {
      action: 'completed',
      workflow_run: {
        head_sha: SHA,
        head_branch: headBranch,
        head_repository: { full_name: headRepository },
        repository,
        event: 'pull_request',
      },
      repository,
    },
  }
}

function publish(event: ActionEvent): Promise<ActionResult> {
  return runAction({
    inputs: { mode: 'publish', reports: join(legs, 'web') },
    event,
    api: fake.url,
  })
}

const pull = (number: number, headRepo: string, headSha = SHA) => ({
  owner: OWNER,
  repo: REPO,
  number,
  headSha,
  headRef: 'feature',
  headRepo,
})

describe('mode publish (workflow_run)', () => {
  test('comments on the PR whose head sha and head repository match, not the other fork’s', async () => {
    seedPulls(
      fake,
      pull(30, 'fork-b/isg-app'),
      pull(31, 'fork-a/isg-app'),
      pull(32, 'fork-a/isg-app', 'd'.repeat(40)),
    )
    const run = await publish(workflowRunEvent('fork-a/isg-app'))
    expectExit(run, 0)
    expect(onPr(31)).toHaveLength(1)
    expect(onPr(30)).toHaveLength(0)
    expect(onPr(32)).toHaveLength(0)
    expect(onPr(31)[0].body).toContain('<!-- image-size-gate:comment-key=web -->')
    expect(onPr(31)[0].body).toContain('Layers that changed')
    expect(run.outputs['comment-url']).toContain('/pull/31#')
    const asked = fake.state.requests.find((r) => r.path.startsWith(`/repos/${REPOSITORY}/pulls`))
    expect(asked?.path).toContain('head=fork-a%3Afeature')
  })

  test('the published comment is the one measure mode posts for the same images', async () => {
    const measured = await runAction({
      inputs: { 'base-image': BASE, 'head-image': HEAD, 'comment-key': 'web' },
      api: fake.url,
    })
    expectExit(measured, 0)
    seedPulls(fake, pull(31, 'fork-a/isg-app'))
    expectExit(await publish(workflowRunEvent('fork-a/isg-app')), 0)
    expect(onPr(31)).toHaveLength(1)
    expect(onPr(31)[0].body).toBe(onPr(7)[0].body)
  })

  test('only another fork’s PR with the same branch name: no comment, a clear message, the summary', async () => {
    seedPulls(fake, pull(30, 'fork-b/isg-app'))
    const run = await publish(workflowRunEvent('fork-a/isg-app'))
    expectExit(run, 0)
    expect(fake.state.comments).toHaveLength(0)
    expect(workflowCommands(run.stdout, 'warning').join('\n')).toContain(
      `No PR comment: no open pull request of ${REPOSITORY} has its head at fork-a/isg-app`,
    )
    expect(run.summary).toContain('Layers that changed')
    expect(run.outputs.verdict).toBe('pass')
  })

  test('two matching PRs: neither is chosen', async () => {
    seedPulls(fake, pull(40, 'fork-a/isg-app'), pull(41, 'fork-a/isg-app'))
    const run = await publish(workflowRunEvent('fork-a/isg-app'))
    expectExit(run, 0)
    expect(fake.state.comments).toHaveLength(0)
    expect(workflowCommands(run.stdout, 'warning').join('\n')).toContain('not choosing one')
  })

  test('not a workflow_run event: no comment, a clear message', async () => {
    seedPulls(fake, pull(31, 'fork-a/isg-app'))
    const run = await runAction({
      inputs: { mode: 'publish', reports: join(legs, 'web') },
      event: {
        name: 'push',
        payload: { repository: { name: REPO, full_name: REPOSITORY, owner: { login: OWNER } } },
      },
      api: fake.url,
    })
    expectExit(run, 0)
    expect(fake.state.comments).toHaveLength(0)
    expect(workflowCommands(run.stdout, 'warning').join('\n')).toContain('no workflow_run')
  })
})
