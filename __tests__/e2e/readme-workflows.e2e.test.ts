import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildFixtures, dockerCli, ENGINES, ROOT } from '../support/engines.js'
import { listFiles, removeTags } from '../support/emulated-actions.js'
import { commentExtras } from '../support/fake-github-comment-routes.js'
import { labelPull, seedPull } from '../support/fake-github-pulls.js'
import { FAKE_TOKENS, type FakeGitHub } from '../support/fake-github.js'
import {
  describeWorkflowRun,
  runWorkflow,
  type RunnerSetup,
  type StepRun,
  type Trigger,
  type WorkflowRun,
} from '../support/readme-workflow-runner.js'
import {
  asWorkflow,
  buildPaths,
  GROWTH_BYTES,
  makeFixtureRepo,
  readmeBlocks,
  stepsOfBlock,
  type ReadmeBlock,
  type StepDef,
  type WorkflowDef,
} from '../support/readme-workflows.js'
import { ensureBundle, PR_NUMBER, REPOSITORY, useFakeGitHub } from '../support/run-action.js'
import { describeRun, expectNoStackTrace } from './expect-run.js'

/**
 * Every README workflow that uses this action, run as the runner runs it (issue 10, "How it is
 * checked"): the blocks are read from README.md, so a workflow added there is run here without
 * a change to this file (readme-workflow-runner.ts says what is emulated and how). A block the
 * runner cannot run fails its test with the reason, unless it is listed in NOT_RUN with one.
 * Then the scenarios the issue names, each on the README's own workflow: single image, label
 * override, matrix plus aggregate (acceptance re-applied, a hostile report), the fork pair and
 * the check run.
 */

/** README blocks (or single steps of them) not run, with the reason. Nothing else is skipped. */
const NOT_RUN: Array<{
  block: (b: ReadmeBlock) => boolean
  step?: (s: StepDef) => boolean
  reason: string
}> = [
  {
    block: (b) => b.kind === 'fragment' && b.section === 'Accepting an increase',
    reason: 'an `on:` fragment: the label-override test runs the single-image workflow with it',
  },
  {
    block: (b) => b.kind === 'steps',
    step: (s) => String(s.with?.['head-image'] ?? '').startsWith('docker://'),
    reason:
      'docker:// images of two platforms need a multi-platform index in a registry: covered by __tests__/e2e/sources.e2e.test.ts',
  },
  {
    block: (b) => b.section === 'Build mode: caches and build times',
    reason:
      "type=gha needs GitHub's cache service (ACTIONS_CACHE_URL, ACTIONS_RUNTIME_TOKEN), unreachable here: the cache lines reach a real buildx in __tests__/e2e/build-cache.e2e.test.ts, and the refusal without buildx is tested there too",
  },
]

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
const blocks = readmeBlocks(readme)
const LABEL = 'image-size-accepted'
const ENGINE = ENGINES[0]
const marker = (key: string) => `<!-- image-size-gate:comment-key=${key} -->`

let fake: FakeGitHub
let setup: RunnerSetup
let scratch: string

beforeAll(async () => {
  await ensureBundle()
  buildFixtures(ENGINE)
  scratch = mkdtempSync(join(tmpdir(), 'isg-readme-wf-'))
  const published = 'isg-readme-wf/published:main'
  const repo = makeFixtureRepo(join(scratch, 'origin'), buildPaths(blocks), (dir) => {
    dockerCli(ENGINE, ['build', '--quiet', '-t', published, dir])
  })
  setup = {
    ...{ fake: undefined as unknown as FakeGitHub, repo, engine: ENGINE, published },
    ...{ scratch, artifacts: new Map(), builtTags: new Set([published]) },
  }
}, 300_000)

afterAll(() => {
  removeTags(ENGINE, setup?.builtTags ?? [])
  rmSync(scratch, { recursive: true, force: true })
})

useFakeGitHub((f) => {
  fake = f
  if (setup) setup.fake = f
})

const notRun = (block: ReadmeBlock, step?: StepDef) =>
  NOT_RUN.find((n) => n.block(block) && (step ? n.step?.(step) : !n.step))

/** The block as a workflow, without the steps NOT_RUN lists. */
function workflowOf(block: ReadmeBlock): WorkflowDef {
  const workflow = asWorkflow(block)
  const jobs = Object.fromEntries(
    Object.entries(workflow.jobs).map(([name, job]) => [
      name,
      { ...job, steps: (job.steps ?? []).filter((s) => !notRun(block, s)) },
    ]),
  )
  return { ...workflow, jobs }
}

const onEvents = (w: WorkflowDef) =>
  typeof w.on === 'string' ? [w.on] : Array.isArray(w.on) ? w.on : Object.keys(w.on ?? {})

/**
 * The workflow a workflow_run block is triggered by: the README workflow of that name, the
 * nearest one before it in its own section first (several examples share the name "image size").
 */
function triggerOf(block: ReadmeBlock): ReadmeBlock {
  const on = (block.doc as WorkflowDef).on as { workflow_run?: { workflows?: string[] } }
  const names = on.workflow_run?.workflows ?? []
  const named = blocks.filter(
    (b) =>
      b.kind === 'workflow' && b !== block && names.includes(String((b.doc as WorkflowDef).name)),
  )
  const before = named.filter((b) => b.number < block.number).reverse()
  const found = before.find((b) => b.section === block.section) ?? before[0] ?? named[0]
  if (!found)
    throw new Error(`${block.where}: no README workflow named ${names.join(', ')} triggers it`)
  return found
}

/** Runs the block: a workflow_run one after its trigger, run from a fork (the README's case). */
async function runBlock(block: ReadmeBlock, trigger: Trigger = {}): Promise<WorkflowRun[]> {
  const workflow = workflowOf(block)
  if (onEvents(workflow).includes('workflow_run')) {
    const first = await runWorkflow(workflowOf(triggerOf(block)), triggerOf(block).where, setup, {
      fork: true,
    })
    trigger.beforeRun?.()
    return [
      first,
      await runWorkflow(workflow, block.where, setup, {
        ...trigger,
        fork: true,
        triggeringRun: first,
      }),
    ]
  }
  return [await runWorkflow(workflow, block.where, setup, trigger)]
}

const stepsText = (run: WorkflowRun) =>
  run.actionSteps.map((s) => `${s.where}: ${s.action ? describeRun(s.action) : ''}`).join('\n')

/**
 * What holds for every run of this action in any README workflow: no stack trace; the verdict
 * output and the exit code agree; a summary; a JSON report in measure mode; at most one comment
 * per key on the PR; and a comment exactly when the step comments with a token that may write.
 */
function expectRunHolds(run: WorkflowRun): void {
  const steps = describeWorkflowRun(run)
  expect([steps, run.actionSteps.length > 0]).toEqual([steps, true])
  for (const step of run.actionSteps) {
    const action = step.action!
    const about = `${step.where}\n${describeRun(action)}`
    expectNoStackTrace(action)
    expect([about, action.outputs.verdict]).toEqual([
      about,
      expect.stringMatching(/^(pass|warn|fail)$/),
    ])
    expect([about, action.code]).toEqual([about, action.outputs.verdict === 'fail' ? 1 : 0])
    expect(action.summary.length).toBeGreaterThan(100)
    if ((step.inputs?.mode ?? 'measure') === 'measure') {
      // One report, or one per image (the images input): one path per line.
      const paths = (action.outputs['report-path'] ?? '').split('\n').filter(Boolean)
      expect(paths.length).toBeGreaterThan(0)
      expect(paths.filter((p) => !existsSync(p))).toEqual([])
    }
    const comments = step.inputs?.comment !== 'false' && step.inputs?.['comment-mode'] !== 'off'
    const canWrite = step.inputs?.['github-token'] === FAKE_TOKENS.actions
    const onPr = ['pull_request', 'workflow_run'].includes(run.event.name)
    expect([about, action.outputs['comment-url'] !== '']).toEqual([
      about,
      comments && canWrite && onPr,
    ])
  }
  const keys = fake.state.comments.map((c) => `${c.issueNumber} ${c.body.split('\n')[0]}`)
  expect(new Set(keys).size).toBe(keys.length)
}

describe.each(
  blocks.filter((b) => b.usesAction || b.kind === 'fragment').map((b) => [b.where, b] as const),
)('%s', (_where, block) => {
  test('runs as the runner runs it, or is listed with the reason it is not', async () => {
    const listed = notRun(block)
    if (listed) {
      expect(listed.reason.length).toBeGreaterThan(20)
      return
    }
    if (block.kind === 'fragment')
      throw new Error(`${block.where}: a fragment (no jobs, no steps) that NOT_RUN does not list`)
    const runs = await runBlock(block)
    for (const run of runs) expectRunHolds(run)
  }, 300_000)
})

/** The README workflow that `is` picks, or a failure saying the README lacks it. */
function findWorkflow(
  what: string,
  is: (w: WorkflowDef, steps: StepDef[]) => boolean,
): ReadmeBlock {
  const found = blocks.find(
    (b) => b.kind === 'workflow' && is(b.doc as WorkflowDef, stepsOfBlock(b)),
  )
  if (!found) throw new Error(`README.md has no ${what} workflow`)
  return found
}

const ownSteps = (steps: StepDef[]) =>
  steps.filter((s) => (s.uses ?? '').startsWith('image-size-gate/'))
const commentsOn = (number: number) => fake.state.comments.filter((c) => c.issueNumber === number)
const step = (run: WorkflowRun, i = 0): StepRun => run.actionSteps[i]

describe('the single-image workflow', () => {
  const block = () =>
    findWorkflow(
      'single-image',
      (w, steps) =>
        onEvents(w).includes('pull_request') &&
        ownSteps(steps).some((s) => s.with?.['head-image']) &&
        steps.some((s) => s.uses?.startsWith('docker/build-push-action')),
    )

  test('the PR image built by build-push, the base that main publishes: one comment, fails its budget', async () => {
    const [run] = await runBlock(block())
    expectRunHolds(run)
    const { action, inputs } = step(run)
    expect(inputs?.['head-image']).toMatch(/^isg-readme-wf\/app:pr-7$/)
    expect(inputs?.['base-image']).toBe(setup.published)
    expect(action?.code).toBe(1)
    expect(Number(action?.outputs['size-delta'])).toBeGreaterThanOrEqual(GROWTH_BYTES)
    expect(commentsOn(PR_NUMBER)).toHaveLength(1)
    expect(commentsOn(PR_NUMBER)[0].body).toMatch(/\| `max-increase` .*❌ fail/)
    expect(action?.summary).toContain('Image size budget exceeded')
  }, 300_000)

  test('label override: with the README’s `on:` for labels, the label turns the failure into a warning, who and when from the events', async () => {
    const fragment = blocks.find(
      (b) => b.kind === 'fragment' && b.section === 'Accepting an increase',
    )
    expect(fragment).toBeDefined()
    const [owner, repo] = REPOSITORY.split('/')
    const pr = seedPull(fake.state, {
      owner,
      repo,
      number: PR_NUMBER,
      body: null,
      author: 'contributor',
    })
    labelPull(pr, LABEL, 'maintainer', '2026-12-02T10:30:00Z')
    const workflow = { ...workflowOf(block()), on: (fragment!.doc as WorkflowDef).on }
    const run = await runWorkflow(workflow, block().where, setup)
    expectRunHolds(run)
    expect(step(run).action?.code).toBe(0)
    expect(step(run).action?.outputs.verdict).toBe('warn')
    const body = commentsOn(PR_NUMBER)[0].body
    expect(body).toContain(
      `**Increase accepted** by @&#8203;maintainer with the label \`${LABEL}\` on 2026-12-02 10:30 UTC`,
    )
    expect(body).toMatch(/\| `max-increase` .*⚠️ warn \(accepted\)/)
  }, 300_000)
})

describe('matrix legs and the aggregate job', () => {
  const block = () =>
    findWorkflow(
      'matrix plus aggregate',
      (w, steps) =>
        Object.values(w.jobs).some((j) => j.strategy?.matrix) &&
        ownSteps(steps).some((s) => s.with?.mode === 'aggregate'),
    )
  const legsAndAggregate = (run: WorkflowRun) => {
    const legs = run.actionSteps.filter((s) => (s.inputs?.mode ?? 'measure') === 'measure')
    const aggregate = run.actionSteps.filter((s) => s.inputs?.mode === 'aggregate')
    return { legs, aggregate }
  }

  test('each leg measures and uploads its report; the aggregate posts one combined comment', async () => {
    const [run] = await runBlock(block())
    expectRunHolds(run)
    const { legs, aggregate } = legsAndAggregate(run)
    expect(legs.length).toBeGreaterThanOrEqual(2)
    expect(aggregate).toHaveLength(1)
    const keys = legs.map((l) => l.inputs?.['comment-key'] ?? '')
    for (const leg of legs) {
      expect(leg.action?.code).toBe(1)
      const report = JSON.parse(readFileSync(leg.action!.outputs['report-path'], 'utf8'))
      expect(report.verdict).toBe('fail')
    }
    const comment = commentsOn(PR_NUMBER)
    expect(comment).toHaveLength(1)
    expect(comment[0].body.startsWith(marker('aggregate'))).toBe(true)
    for (const key of keys)
      expect(comment[0].body).toMatch(new RegExp(`\\| ❌ fail +\\| \`${key}\` `))
    const images = JSON.parse(aggregate[0].action!.outputs.images) as Record<
      string,
      { verdict: string }
    >
    expect(Object.keys(images).sort()).toEqual([...keys].sort())
    expect(aggregate[0].action?.code).toBe(1)
  }, 300_000)

  test('the README’s other choice, `comment: true` on the legs: each leg’s own comment under its key beside the combined one', async () => {
    const workflow = workflowOf(block())
    const jobs = Object.fromEntries(
      Object.entries(workflow.jobs).map(([name, job]) => [
        name,
        {
          ...job,
          steps: (job.steps ?? []).map((s) =>
            s.with?.comment === false ? { ...s, with: { ...s.with, comment: true } } : s,
          ),
        },
      ]),
    )
    const run = await runWorkflow({ ...workflow, jobs }, block().where, setup)
    expectRunHolds(run)
    const { legs } = legsAndAggregate(run)
    const keys = [...legs.map((l) => l.inputs?.['comment-key'] ?? ''), 'aggregate']
    const firstLines = commentsOn(PR_NUMBER).map((c) => c.body.split('\n')[0])
    expect(firstLines.sort()).toEqual(keys.map(marker).sort())
  }, 300_000)

  test('the label applied after the legs ran: the aggregate re-reads the PR and accepts, who and when recorded', async () => {
    const [owner, repo] = REPOSITORY.split('/')
    const pr = seedPull(fake.state, {
      owner,
      repo,
      number: PR_NUMBER,
      body: null,
      author: 'contributor',
    })
    const [run] = await runBlock(block(), {
      beforeJob: (job) => {
        if (job !== 'measure') labelPull(pr, LABEL, 'maintainer', '2026-12-02T11:00:00Z')
      },
    })
    const { legs, aggregate } = legsAndAggregate(run)
    for (const leg of legs) expect(leg.action?.code).toBe(1)
    const action = aggregate[0].action!
    expect([describeRun(action), action.code]).toEqual([describeRun(action), 0])
    expect(action.outputs.verdict).toBe('warn')
    const body = commentsOn(PR_NUMBER)[0].body
    expect(body).toContain('**Increase accepted** by @&#8203;maintainer with the label')
    expect(body).toContain('2026-12-02 11:00 UTC')
    expect(body).not.toContain('❌')
    expect(
      Object.values(JSON.parse(action.outputs.images) as Record<string, { verdict: string }>).map(
        (i) => i.verdict,
      ),
    ).toEqual(legs.map(() => 'warn'))
  }, 300_000)

  test('a hostile leg report that claims an acceptance the PR does not have still fails', async () => {
    const [run] = await runBlock(block(), {
      beforeJob: (job) => {
        if (job === 'measure') return
        for (const [, dir] of setup.artifacts.get(Math.max(...setup.artifacts.keys()))!)
          for (const file of listFiles(dir)) forgeAcceptance(join(dir, file))
      },
    })
    const action = legsAndAggregate(run).aggregate[0].action!
    expect([describeRun(action), action.code]).toEqual([describeRun(action), 1])
    expect(action.outputs.verdict).toBe('fail')
    const body = commentsOn(PR_NUMBER)[0].body
    expect(body).not.toContain('Increase accepted')
    expect(body).toMatch(/\| `max-increase` .*❌ fail/)
  }, 300_000)

  test('the label accepts size budgets only: a leg whose report failed its secrets budget still fails', async () => {
    const [owner, repo] = REPOSITORY.split('/')
    const pr = seedPull(fake.state, {
      owner,
      repo,
      number: PR_NUMBER,
      body: null,
      author: 'contributor',
    })
    labelPull(pr, LABEL, 'maintainer', '2026-12-02T11:00:00Z')
    let secretKey = ''
    const [run] = await runBlock(block(), {
      beforeJob: (job) => {
        if (job === 'measure') return
        const [[name, dir]] = [...setup.artifacts.get(Math.max(...setup.artifacts.keys()))!]
        secretKey = name
        for (const file of listFiles(dir)) failSecrets(join(dir, file))
      },
    })
    const action = legsAndAggregate(run).aggregate[0].action!
    expect([describeRun(action), action.code]).toEqual([describeRun(action), 1])
    const images = JSON.parse(action.outputs.images) as Record<string, { verdict: string }>
    const verdicts = Object.values(images)
      .map((i) => i.verdict)
      .sort()
    expect(verdicts).toEqual([
      'fail',
      ...Object.keys(images)
        .slice(1)
        .map(() => 'warn'),
    ])
    expect(secretKey).not.toBe('')
    expect(commentsOn(PR_NUMBER)[0].body).toMatch(/\| `secrets` .*❌ fail/)
  }, 300_000)
})

/** A leg's report as a leg that found a secret-like file writes it. */
function failSecrets(path: string): void {
  const json = JSON.parse(readFileSync(path, 'utf8'))
  for (const entry of json.entries)
    for (const budget of entry.budgets)
      if (budget.key === 'secrets')
        Object.assign(budget, {
          status: 'fail',
          actual: 1,
          overshoot: 1,
          message: '1 secret-like file',
        })
  // Its verdicts are the worst of its budgets, as the leg's gate works them out.
  for (const entry of json.entries) entry.verdict = 'fail'
  json.verdict = 'fail'
  writeFileSync(path, JSON.stringify(json))
}

/** Rewrites a report as a hostile leg would: every failure "accepted", verdicts warn. */
function forgeAcceptance(path: string): void {
  const json = JSON.parse(readFileSync(path, 'utf8'))
  json.verdict = 'warn'
  json.acceptance = {
    ...{ status: 'accepted', via: 'label', label: LABEL, by: 'maintainer' },
    ...{ at: '2026-12-02T11:00:00Z', byAuthor: false, amount: null, reason: null },
    budgets: ['max-increase'],
  }
  for (const entry of json.entries) {
    entry.verdict = 'warn'
    for (const budget of entry.budgets)
      if (budget.status === 'fail') Object.assign(budget, { status: 'warn', accepted: true })
  }
  writeFileSync(path, JSON.stringify(json))
}

describe('pull requests from forks: the two workflows', () => {
  const block = () =>
    findWorkflow(
      'fork publish',
      (w, steps) =>
        onEvents(w).includes('workflow_run') &&
        ownSteps(steps).some((s) => s.with?.mode === 'publish'),
    )

  test('the fork’s run (read-only token) posts nothing and uploads the report; the publish run finds the PR through the API and posts', async () => {
    const [measure, publish] = await runBlock(block())
    expectRunHolds(measure)
    expect(measure.token).toBe(FAKE_TOKENS.readOnly)
    const byFork = fake.state.requests.filter((r) => r.authorization?.endsWith(measure.token))
    expect(byFork.filter((r) => r.method !== 'GET')).toEqual([])
    expect(step(measure).action?.code).toBe(1)
    expectRunHolds(publish)
    const action = step(publish).action!
    expect(fake.state.requests.map((r) => r.path)).toContainEqual(
      expect.stringMatching(/\/pulls\?.*head=contributor%3Afeature/),
    )
    expect(commentsOn(PR_NUMBER)).toHaveLength(1)
    expect(commentsOn(PR_NUMBER)[0].body).toMatch(/\| `max-increase` .*❌ fail/)
    expect(action.outputs['comment-url']).toContain(`/pull/${PR_NUMBER}#`)
    expect(action.code).toBe(1)
  }, 300_000)

  test('the label on the PR: the publish run reads it for the PR it found and accepts', async () => {
    const [owner, repo] = REPOSITORY.split('/')
    const pr = seedPull(fake.state, {
      owner,
      repo,
      number: PR_NUMBER,
      body: null,
      author: 'contributor',
    })
    const [measure, publish] = await runBlock(block(), {
      beforeRun: () => labelPull(pr, LABEL, 'maintainer', '2026-12-02T12:00:00Z'),
    })
    expect(step(measure).action?.code).toBe(1)
    const action = step(publish).action!
    expect([describeRun(action), action.code]).toEqual([describeRun(action), 0])
    expect(action.outputs.verdict).toBe('warn')
    expect(commentsOn(PR_NUMBER)[0].body).toContain(
      '**Increase accepted** by @&#8203;maintainer with the label',
    )
  }, 300_000)

  test('a fork’s report that claims an acceptance the PR does not have: the publish run still fails it', async () => {
    const [measure, publish] = await runBlock(block(), {
      beforeRun: () => {
        for (const [, dir] of setup.artifacts.get(Math.max(...setup.artifacts.keys()))!)
          for (const file of listFiles(dir)) forgeAcceptance(join(dir, file))
      },
    })
    expect(step(measure).action?.code).toBe(1)
    const action = step(publish).action!
    expect([describeRun(action), action.code]).toEqual([describeRun(action), 1])
    expect(commentsOn(PR_NUMBER)[0].body).not.toContain('Increase accepted')
    expect(commentsOn(PR_NUMBER)[0].body).toMatch(/\| `max-increase` .*❌ fail/)
  }, 300_000)
})

describe('the check-run workflow', () => {
  test('creates the check run on the PR’s head commit with the verdict and the report', async () => {
    const block = findWorkflow('check-run', (_w, steps) =>
      ownSteps(steps).some((s) => String(s.with?.['check-run']) === 'true'),
    )
    const [run] = await runBlock(block)
    expectRunHolds(run)
    const checks = commentExtras(fake.state).checkRuns
    expect(checks).toHaveLength(1)
    expect(checks[0]).toMatchObject({ headSha: setup.repo.headSha, conclusion: 'failure' })
    expect(checks[0].summary).toMatch(/\| `max-increase` .*❌ fail/)
    expect(stepsText(run)).not.toMatch(/No check run/)
  }, 300_000)
})
