import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import {
  buildPush,
  checkout,
  downloadArtifact,
  rewriteImages,
  uploadArtifact,
} from './emulated-actions.js'
import { isThisAction, parseUses } from '../workflows/workflow-rules.js'
import { commentExtras } from './fake-github-comment-routes.js'
import { seedPulls } from './fake-github-pull-list.js'
import { FAKE_TOKENS, type FakeGitHub } from './fake-github.js'
import type { TestEngine } from './engines.js'
import {
  matrixOf,
  UnsupportedStep,
  type FixtureRepo,
  type JobDef,
  type StepDef,
  type WorkflowDef,
} from './readme-workflows.js'
import {
  pullRequestEvent,
  PR_NUMBER,
  REPOSITORY,
  runAction,
  type ActionEvent,
  type ActionResult,
} from './run-action.js'
import {
  condition,
  interpolate,
  type ExpressionContext,
  type Value,
} from './workflow-expressions.js'

/**
 * Runs a README workflow as GitHub would, job by job (in `needs` order, each matrix leg on its
 * own): `on:` gives the event and its payload, `permissions:` the GITHUB_TOKEN's rights on the
 * fake GitHub, `if:` and `${{ }}` are evaluated, this action runs as `node dist/index.js`, and
 * the other actions are emulated on this machine: checkout (a depth-1 clone of the fixture
 * repository), build-push (a real `docker build` on the test engine), upload/download-artifact
 * (copies between the legs' folders), login and setup-buildx (nothing to do). Anything else
 * throws an UnsupportedStep naming the block, job and step.
 */

export { UnsupportedStep }

export interface StepRun {
  where: string
  step: StepDef
  skipped: boolean
  ok: boolean
  /** This action's inputs as the runner gave them, and its run */
  inputs?: Record<string, string>
  action?: ActionResult
  outputs: Record<string, string>
  /** Why an emulated step failed */
  reason?: string
}

export interface JobRun {
  job: string
  matrix: Record<string, string>
  skipped: boolean
  ok: boolean
  steps: StepRun[]
  /** The runner's work folder of this leg (GITHUB_WORKSPACE) */
  workspace: string
}

export interface WorkflowRun {
  runId: number
  name: string
  event: ActionEvent
  token: string
  jobs: JobRun[]
  /** This action's step runs, in order */
  actionSteps: StepRun[]
}

export interface RunnerSetup {
  fake: FakeGitHub
  repo: FixtureRepo
  engine: TestEngine
  /** The local image every registry reference (ghcr.io/…) of the README stands for */
  published: string
  scratch: string
  /** Artifacts by run id, then name: the folder holding the artifact's files */
  artifacts: Map<number, Map<string, string>>
  /** Local tags built so far (removed by the test afterwards) */
  builtTags: Set<string>
}

export interface Trigger {
  /** The PR's head is in a fork: read-only token, no secrets */
  fork?: boolean
  pullNumber?: number
  /** For workflow_run: the run that triggered this one */
  triggeringRun?: WorkflowRun
  /** Called before each job starts (e.g. a label applied while the legs ran) */
  beforeJob?(job: string): void
  /** Called by the test between a trigger run and its workflow_run */
  beforeRun?(): void
}

export const FORK_REPOSITORY = 'contributor/isg-app'
let nextRunId = 4000

export async function runWorkflow(
  workflow: WorkflowDef,
  where: string,
  setup: RunnerSetup,
  trigger: Trigger = {},
): Promise<WorkflowRun> {
  const runId = nextRunId++
  const name = workflow.name ?? where
  const event = eventFor(workflow, where, setup, trigger)
  const token = tokenFor(workflow, trigger)
  commentExtras(setup.fake.state).checksWrite = permission(workflow, 'checks') === 'write'
  const run: WorkflowRun = { runId, name, event, token, jobs: [], actionSteps: [] }
  setup.artifacts.set(runId, new Map())
  for (const jobName of jobOrder(workflow, where)) {
    const job = workflow.jobs[jobName] ?? {}
    trigger.beforeJob?.(jobName)
    const needs = [job.needs ?? []].flat()
    const needed = run.jobs.filter((j) => needs.includes(j.job))
    const needsFailed = needed.some((j) => !j.ok && !j.skipped)
    const needsCtx: Value = Object.fromEntries(
      needs.map((n) => {
        const legs = needed.filter((j) => j.job === n)
        const result = legs.every((j) => j.skipped)
          ? 'skipped'
          : legs.every((j) => j.ok)
            ? 'success'
            : 'failure'
        return [n, { result, outputs: {} }]
      }),
    )
    for (const matrix of matrixOf(job)) {
      const ctx: ExpressionContext = {
        ...contexts(run, setup, trigger, jobName),
        matrix,
        needs: needsCtx,
        steps: {},
      }
      const workspace = join(setup.scratch, `run-${runId}`, `${jobName}-${run.jobs.length}`)
      mkdirSync(workspace, { recursive: true })
      const leg: JobRun = { job: jobName, matrix, skipped: false, ok: true, steps: [], workspace }
      run.jobs.push(leg)
      if (!condition(job.if, ctx, { failed: needsFailed })) {
        leg.skipped = true
        continue
      }
      await runJob(job, leg, ctx, { run, setup, where: `${where}, job ${jobName}` })
      run.actionSteps.push(...leg.steps.filter((s) => s.action))
    }
  }
  return run
}

function jobOrder(workflow: WorkflowDef, where: string): string[] {
  const done: string[] = []
  const names = Object.keys(workflow.jobs ?? {})
  while (done.length < names.length) {
    const ready = names.find(
      (n) =>
        !done.includes(n) && [workflow.jobs[n]?.needs ?? []].flat().every((d) => done.includes(d)),
    )
    if (!ready) throw new UnsupportedStep(`${where}: the jobs' needs form a loop or name no job`)
    done.push(ready)
  }
  return done
}

const permission = (workflow: WorkflowDef, scope: string): string | undefined =>
  workflow.permissions === 'write-all'
    ? 'write'
    : typeof workflow.permissions === 'object'
      ? workflow.permissions[scope]
      : undefined

/** A fork's pull_request run gets a read-only token whatever it asks for (GitHub's rule). */
function tokenFor(workflow: WorkflowDef, trigger: Trigger): string {
  if (trigger.fork && !trigger.triggeringRun) return FAKE_TOKENS.readOnly
  const writes = ['pull-requests', 'checks', 'issues'].some(
    (s) => permission(workflow, s) === 'write',
  )
  return writes ? FAKE_TOKENS.actions : FAKE_TOKENS.readOnly
}

function eventNames(on: unknown): string[] {
  if (typeof on === 'string') return [on]
  if (Array.isArray(on)) return on.map(String)
  if (on && typeof on === 'object') return Object.keys(on)
  return []
}

function eventFor(
  workflow: WorkflowDef,
  where: string,
  setup: RunnerSetup,
  trigger: Trigger,
): ActionEvent {
  const names = eventNames(workflow.on)
  const number = trigger.pullNumber ?? PR_NUMBER
  const [owner, repo] = REPOSITORY.split('/')
  const repository = { name: repo, full_name: REPOSITORY, owner: { login: owner } }
  const headRepository = trigger.fork
    ? { name: repo, full_name: FORK_REPOSITORY, owner: { login: FORK_REPOSITORY.split('/')[0] } }
    : repository
  if (names.includes('workflow_run')) {
    const from = trigger.triggeringRun
    if (!from)
      throw new UnsupportedStep(`${where}: a workflow_run workflow needs the run that triggered it`)
    seedPulls(setup.fake, {
      ...{ owner, repo, number, headSha: setup.repo.headSha, headRef: 'feature' },
      headRepo: headRepository.full_name,
    })
    const ok = from.jobs.every((j) => j.ok || j.skipped)
    return {
      name: 'workflow_run',
      payload: {
        action: 'completed',
        workflow_run: {
          ...{ id: from.runId, name: from.name, event: from.event.name, status: 'completed' },
          ...{ conclusion: ok ? 'success' : 'failure', head_sha: setup.repo.headSha },
          ...{ head_branch: 'feature', head_repository: headRepository, repository },
          pull_requests: trigger.fork ? [] : [{ number }],
        },
        repository,
      },
    }
  }
  if (names.includes('pull_request')) {
    const event = pullRequestEvent(number)
    const pr = event.payload.pull_request as Record<string, Record<string, unknown>>
    pr.head = { ...pr.head, sha: setup.repo.headSha, repo: headRepository }
    pr.base = { ...pr.base, sha: setup.repo.baseSha }
    return event
  }
  if (names.includes('push')) {
    return {
      name: 'push',
      payload: { ref: 'refs/heads/main', after: setup.repo.baseSha, repository },
    }
  }
  throw new UnsupportedStep(
    `${where}: on: ${names.join(', ') || '(none)'}: no event the test runner emulates`,
  )
}

function contexts(
  run: WorkflowRun,
  setup: RunnerSetup,
  trigger: Trigger,
  job: string,
): ExpressionContext {
  void trigger
  return {
    github: {
      ...{ token: run.token, repository: REPOSITORY, repository_owner: REPOSITORY.split('/')[0] },
      ...{ actor: 'octocat', event_name: run.event.name, event: run.event.payload as Value },
      ...{ sha: setup.repo.headSha, run_id: String(run.runId), workflow: run.name, job },
      ...{ server_url: 'https://github.com', api_url: setup.fake.url },
    },
    // The test defines no repository secrets; a fork's run would get none but GITHUB_TOKEN anyway.
    secrets: { GITHUB_TOKEN: run.token },
    env: {},
    vars: {},
    runner: { os: 'Linux', arch: 'X64', temp: join(setup.scratch, 'runner-temp') },
  }
}

interface JobScope {
  run: WorkflowRun
  setup: RunnerSetup
  where: string
}

async function runJob(job: JobDef, leg: JobRun, ctx: ExpressionContext, scope: JobScope) {
  const steps = ctx.steps as Record<string, Value>
  for (const [i, step] of (job.steps ?? []).entries()) {
    const where = `${scope.where}${Object.keys(leg.matrix).length ? ` ${JSON.stringify(leg.matrix)}` : ''}, step ${step.id ?? step.name ?? step.uses ?? i + 1}`
    const record: StepRun = { where, step, skipped: false, ok: true, outputs: {} }
    leg.steps.push(record)
    if (!condition(step.if, ctx, { failed: !leg.ok })) {
      record.skipped = true
      continue
    }
    const inputs = Object.fromEntries(
      Object.entries(step.with ?? {}).map(([k, v]) => [
        k,
        interpolate(String(v), ctx, { failed: !leg.ok }),
      ]),
    )
    await runStep(step, inputs, record, leg, scope)
    if (step.id)
      steps[step.id] = { outputs: record.outputs, outcome: record.ok ? 'success' : 'failure' }
    if (!record.ok && step['continue-on-error'] !== true) leg.ok = false
  }
}

async function runStep(
  step: StepDef,
  inputs: Record<string, string>,
  record: StepRun,
  leg: JobRun,
  scope: JobScope,
): Promise<void> {
  const { setup, run } = scope
  if (step.run !== undefined)
    throw new UnsupportedStep(`${record.where}: run: steps are not emulated by the test runner`)
  const uses = step.uses ?? ''
  if (isThisAction(uses)) return runThisAction(inputs, record, leg, scope)
  const action = parseUses(uses)?.action
  switch (action) {
    case 'actions/checkout':
      return checkout(inputs, leg, setup)
    case 'docker/login-action':
    case 'docker/setup-buildx-action':
      return
    case 'docker/build-push-action':
      return buildPush(inputs, record, leg, setup)
    case 'actions/upload-artifact':
      return uploadArtifact(inputs, record, leg, setup.artifacts.get(run.runId)!)
    case 'actions/download-artifact':
      return downloadArtifact(inputs, record, leg, { setup, runId: run.runId })
    default:
      throw new UnsupportedStep(`${record.where}: ${uses} is not emulated by the test runner`)
  }
}

async function runThisAction(
  given: Record<string, string>,
  record: StepRun,
  leg: JobRun,
  scope: JobScope,
): Promise<void> {
  const { setup, run } = scope
  const inputs = Object.fromEntries(
    Object.entries(given).map(([k, v]) => [k, rewriteImages(v, setup, record.where)]),
  )
  inputs['github-token'] ??= run.token
  record.inputs = inputs
  record.action = await runAction({
    inputs,
    event: run.event,
    api: setup.fake.url,
    cwd: leg.workspace,
    timeoutMs: 180_000,
    env: {
      GITHUB_WORKSPACE: leg.workspace,
      GITHUB_RUN_ID: String(run.runId),
      GITHUB_JOB: leg.job,
      GITHUB_WORKFLOW: run.name,
      GITHUB_EVENT_NAME: run.event.name,
      DOCKER_HOST: setup.engine.host,
    },
  })
  record.outputs = record.action.outputs
  record.ok = record.action.code === 0
}

/** Each job and step of a run with what became of it, for failure messages. */
export function describeWorkflowRun(run: WorkflowRun): string {
  return run.jobs
    .flatMap((job) => [
      `${job.job} ${JSON.stringify(job.matrix)}: ${job.skipped ? 'skipped' : job.ok ? 'success' : 'failure'}`,
      ...job.steps.map(
        (s) =>
          `  ${s.where}: ${s.skipped ? 'skipped' : s.ok ? 'success' : 'failure'}${s.reason ? ` (${s.reason})` : ''}${s.action ? ` exit ${s.action.code}` : ''}`,
      ),
    ])
    .join('\n')
}
