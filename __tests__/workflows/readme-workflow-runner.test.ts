import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { ENGINES } from '../support/engines.js'
import { localTag } from '../support/emulated-actions.js'
import type { FakeGitHub } from '../support/fake-github.js'
import {
  runWorkflow,
  UnsupportedStep,
  type RunnerSetup,
} from '../support/readme-workflow-runner.js'
import {
  buildPaths,
  matrixOf,
  readmeBlocks,
  type WorkflowDef,
} from '../support/readme-workflows.js'
import { condition, evaluate, interpolate } from '../support/workflow-expressions.js'

/**
 * The e2e framework of __tests__/e2e/readme-workflows.e2e.test.ts, on its own: expressions as
 * GitHub evaluates them, README blocks found and classified, and a workflow it cannot run
 * refused with a message naming the block, job and step (never skipped).
 */

const ctx = {
  github: { token: 't0k', event: { workflow_run: { event: 'pull_request', id: 12 } } },
  secrets: { GITHUB_TOKEN: 't0k' },
  matrix: { service: 'web' },
  steps: { size: { outputs: { 'report-path': '/tmp/r.json' } } },
}
const ok = { failed: false }
const failed = { failed: true }

describe('workflow expressions', () => {
  it.each([
    [1, "github.event.workflow_run.event == 'pull_request'", true],
    [2, "github.event.workflow_run.event == 'PULL_REQUEST'", true],
    [3, "steps.size.outputs.report-path != ''", true],
    [4, "steps.nope.outputs.x != ''", false],
    [5, '!cancelled() && steps.size.outputs.report-path', '/tmp/r.json'],
    [6, "contains('a,b', 'B')", true],
    [7, '(true || false) && !false', true],
    [8, 'github.event.workflow_run.id', 12],
  ])('%i: %s', (_n, expr, value) => {
    expect(evaluate(expr, ctx, ok)).toEqual(value)
  })

  it('interpolates every ${{ }} of a value', () => {
    expect(interpolate('services/${{ matrix.service }}:${{ github.token }}', ctx, ok)).toBe(
      'services/web:t0k',
    )
  })

  it.each([
    [1, undefined, ok, true],
    [2, undefined, failed, false],
    [3, '${{ !cancelled() }}', failed, true],
    [4, "github.event.workflow_run.event == 'push'", ok, false],
    [5, "${{ steps.size.outputs.report-path != '' }}", failed, false],
    [6, 'always()', failed, true],
  ])('%i: if: %s', (_n, source, status, value) => {
    expect(condition(source, ctx, status)).toBe(value)
  })

  it.each([
    [1, 'vars.X', /context "vars" is not defined/],
    [2, 'secrets.NPM_TOKEN', /secrets.NPM_TOKEN is not defined/],
    [3, "format('{0}', 1)", /format\(\) is not supported/],
    [4, "github.token == 'a' 'b'", /unexpected "b"/],
  ])('%i: %s is refused, not guessed', (_n, expr, message) => {
    expect(() => evaluate(expr, ctx, ok)).toThrow(message)
  })
})

describe('README blocks', () => {
  const readme = [
    '## One',
    '```yaml',
    'name: w',
    'on: pull_request',
    'jobs:',
    '  a:',
    '    strategy: {matrix: {svc: [x, y]}}',
    '    steps:',
    '      - uses: image-size-gate/image-size-gate@v0',
    '        with: {context: "apps/${{ matrix.svc }}", dockerfile: docker/App.Dockerfile}',
    '```',
    '- a list item:',
    '  ```yaml',
    '  on:',
    '    pull_request:',
    '  ```',
    '```yaml',
    '- uses: ./',
    '  with:',
    '    images: |',
    '      - name: api',
    '        context: api',
    '```',
  ].join('\n')

  it('finds full workflows, indented fragments and lists of steps, and what uses the action', () => {
    const blocks = readmeBlocks(readme)
    expect(blocks.map((b) => [b.kind, b.section, b.usesAction])).toEqual([
      ['workflow', 'One', true],
      ['fragment', 'One', false],
      ['steps', 'One', true],
    ])
    expect(blocks[1].where).toBe('README.md yaml block 2 (line 13, "One")')
  })

  it('collects the build contexts and Dockerfiles the blocks name, list inputs included', () => {
    expect(buildPaths(readmeBlocks(readme))).toEqual({
      contexts: ['.', 'api', 'apps/x', 'apps/y'],
      dockerfiles: ['docker/App.Dockerfile'],
    })
  })

  it('expands a matrix with include and exclude', () => {
    const job = parse(
      'strategy: {matrix: {a: [1, 2], b: [x], exclude: [{a: 2}], include: [{a: 1, c: z}, {a: 3}]}}',
    )
    expect(matrixOf(job)).toEqual([{ a: '1', b: 'x', c: 'z' }, { a: '3' }])
  })

  it('maps a README tag to a local tag with the same repository name', () => {
    expect(localTag('app:pr-7')).toBe('isg-readme-wf/app:pr-7')
    expect(localTag('ghcr.io/Org/Web')).toBe('isg-readme-wf/web:latest')
  })
})

describe('a workflow the runner cannot run', () => {
  const scratches: string[] = []
  afterAll(() => scratches.forEach((dir) => rmSync(dir, { recursive: true, force: true })))
  const setup = (): RunnerSetup => ({
    fake: {
      url: 'http://127.0.0.1:9',
      state: { comments: [], requests: [], tokens: {} },
    } as unknown as FakeGitHub,
    repo: { dir: '/nonexistent', baseSha: 'a'.repeat(40), headSha: 'b'.repeat(40) },
    engine: ENGINES[0],
    published: 'isg-readme-wf/published:main',
    scratch: scratches[scratches.push(mkdtempSync(join(tmpdir(), 'isg-runner-'))) - 1],
    artifacts: new Map(),
    builtTags: new Set(),
  })
  const workflow = (steps: string, on = 'pull_request'): WorkflowDef =>
    parse(`name: w\non: ${on}\njobs:\n  size:\n    steps:\n${steps}`) as WorkflowDef

  it.each([
    [
      1,
      '      - uses: actions/setup-node@v7\n',
      'pull_request',
      /^README block 9, job size, step actions\/setup-node@v7: actions\/setup-node@v7 is not emulated/,
    ],
    [2, '      - run: make\n', 'pull_request', /step 1: run: steps are not emulated/],
    [3, '      - uses: ./\n', 'schedule', /on: schedule: no event the test runner emulates/],
  ])('%i: fails with a message naming the block, job and step', async (_n, steps, on, message) => {
    await expect(runWorkflow(workflow(steps, on), 'README block 9', setup())).rejects.toThrow(
      message,
    )
    await expect(
      runWorkflow(workflow(steps, on), 'README block 9', setup()),
    ).rejects.toBeInstanceOf(UnsupportedStep)
  })
})
