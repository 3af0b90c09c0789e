import { afterAll, beforeAll, describe, expect, it, test } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse } from 'yaml'
import { ROOT } from '../support/engines.js'
import { inputNames } from '../../src/inputs-table.js'
import {
  checkActionInputs,
  checkCurrentMajor,
  checkPinned,
  isThisAction,
  readActionInputs,
  stepsOf,
  type Step,
} from './workflow-rules.js'

/**
 * The project's own workflows (.github/workflows) cannot run here. They are linted with
 * actionlint (scripts/lint-workflows.mjs), and checked for what a linter cannot know: the inputs
 * given to this action exist in action.yml, third-party actions are pinned, and the README's
 * examples use each action's current node24 major (issue 6, items 7 and 9).
 */

/**
 * The current major of each third-party action the workflows and the README use, read from the
 * action's action.yml (`runs.using`) at its newest release tag. Add an action here only after
 * doing the same.
 */
const CURRENT_NODE24_MAJORS: Record<string, number> = {
  'actions/checkout': 7, // v7.0.1, 2026-07-17: node24 (node24 since v5.0.0)
  'actions/setup-node': 7, // v7.0.0, 2026-07-13: node24
  'docker/login-action': 4, // v4.1.0, 2026-04-02: node24 (v3 is node20)
  'docker/build-push-action': 7, // v7.3.0, 2026-07-01: node24 (v6 is node20)
  'docker/setup-buildx-action': 4, // v4.3.0, 2026-08-17: node24 (v3 is node20)
  'actions/upload-artifact': 7, // v7.0.0, 2026-02-25: node24
  'actions/download-artifact': 8, // v8.0.1, 2026-03-11: node24 (run-id, github-token, pattern)
}

const WORKFLOW_DIR = join(ROOT, '.github', 'workflows')
const workflowFiles = readdirSync(WORKFLOW_DIR).filter((f) => /\.ya?ml$/.test(f))
const workflow = (file: string) =>
  parse(readFileSync(join(WORKFLOW_DIR, file), 'utf8')) as Record<string, unknown>
const inputs = readActionInputs(readFileSync(join(ROOT, 'action.yml'), 'utf8'))
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')

/** A workflow with mistakes actionlint must find, so the lint test can fail. */
const BROKEN = `name: broken
on:
  pull_request:
jobs:
  a:
    runs-on: ubuntu-latest
    stepz: []
    steps:
      - run: echo "\${{ steps.nope.outputs.x }}"
      - uses: actions/checkout@v4
        with:
          fetch-dept: 1
`

describe('actionlint', () => {
  let scratch: string
  let results: Record<string, Array<{ line: number; message: string }>>

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'isg-docs-workflows-'))
    writeFileSync(join(scratch, 'broken.yml'), BROKEN)
    const files = [
      ...workflowFiles.map((f) => join('.github', 'workflows', f)),
      join(scratch, 'broken.yml'),
    ]
    const run = spawnSync(process.execPath, ['scripts/lint-workflows.mjs', '--json', ...files], {
      cwd: ROOT,
      encoding: 'utf8',
    })
    if (run.status !== 0) throw new Error(`lint-workflows.mjs failed: ${run.stderr}`)
    results = JSON.parse(run.stdout)
  })
  afterAll(() => rmSync(scratch, { recursive: true, force: true }))

  it('finds CI, dogfood and release workflows', () => {
    expect(workflowFiles.sort()).toEqual(['ci.yml', 'dogfood.yml', 'release.yml'])
  })

  test.each(workflowFiles)('%s has no problems', (file) => {
    expect(results[join('.github', 'workflows', file)]).toEqual([])
  })

  it('finds the mistakes of a broken workflow', () => {
    const messages = results[join(scratch, 'broken.yml')].map((p) => `${p.line}: ${p.message}`)
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^7: unexpected key "stepz"/),
        expect.stringMatching(/^9: property "nope" is not defined/),
        expect.stringMatching(
          /^12: input "fetch-dept" is not defined in action "actions\/checkout@v4"/,
        ),
      ]),
    )
  })
})

const step = (uses: string, withInputs?: Record<string, unknown>): Step => ({
  where: 'w.yml: job/step',
  uses,
  with: withInputs,
})

describe('workflow rules', () => {
  const sample = readActionInputs(`inputs:
  image: {required: true}
  tag: {required: true, default: latest}
  budget: {required: false}
`)
  it.each([
    [1, step('./', { image: 'a' }), []],
    [
      2,
      step('./', { image: 'a', budgett: '1' }),
      ['w.yml: job/step: input "budgett" is not in action.yml'],
    ],
    [3, step('./', { tag: 'x' }), ['w.yml: job/step: required input "image" is not given']],
    [
      4,
      step('image-size-gate/image-size-gate@v0', {}),
      ['w.yml: job/step: required input "image" is not given'],
    ],
  ])('%i: checkActionInputs', (_n, s, problems) => {
    expect(checkActionInputs(s, sample)).toEqual(problems)
  })

  it.each([
    [1, 'actions/checkout@v7', true],
    [2, 'actions/checkout@v7.0.1', true],
    [3, `actions/checkout@${'a1'.repeat(20)}`, true],
    [4, 'github/codeql-action/init@v4', true],
    [5, 'actions/checkout@main', false],
    [6, 'actions/checkout@v7-beta', false],
    [7, 'actions/checkout', false],
    [8, 'docker://alpine:3.20', true],
    [9, `docker://alpine@sha256:${'0'.repeat(64)}`, true],
    [10, 'docker://alpine', false],
    [11, './', true],
  ])('%i: checkPinned(%s) passes: %s', (_n, uses, ok) => {
    expect(checkPinned(step(uses))).toHaveLength(ok ? 0 : 1)
  })

  it.each([
    [1, 'actions/checkout@v7', []],
    [
      2,
      'actions/checkout@v4',
      [
        'w.yml: job/step: actions/checkout@v4 should be actions/checkout@v7 (its current node24 major)',
      ],
    ],
    [
      3,
      'docker/build-push-action@v6.9.0',
      [
        'w.yml: job/step: docker/build-push-action@v6.9.0 should be docker/build-push-action@v7 (its current node24 major)',
      ],
    ],
    [
      4,
      'someone/else@v1',
      [expect.stringContaining('someone/else is not in the table of current node24 majors')],
    ],
    [5, 'image-size-gate/image-size-gate@v0', []],
  ])('%i: checkCurrentMajor(%s)', (_n, uses, problems) => {
    expect(checkCurrentMajor(step(uses), CURRENT_NODE24_MAJORS)).toEqual(problems)
  })
})

/** The steps of every ```yaml block in the README (full workflows or lists of steps). */
function readmeSteps(): Step[] {
  const blocks = [...readme.matchAll(/```ya?ml\n([\s\S]*?)```/g)].map((m) => m[1])
  return blocks.flatMap((block, i) => stepsOf(parse(block), `README.md yaml block ${i + 1}`))
}

describe.each([
  ['the project’s workflows', () => workflowFiles.flatMap((f) => stepsOf(workflow(f), f))],
  ['the README’s examples', readmeSteps],
])('%s', (_name, steps) => {
  it('give this action only inputs that action.yml has, and every required one', () => {
    const own = steps().filter((s) => s.uses && isThisAction(s.uses))
    expect(own.length).toBeGreaterThan(0)
    expect(own.flatMap((s) => checkActionInputs(s, inputs))).toEqual([])
  })

  it('pin every third-party action to a major, a release or a sha, on its current node24 major', () => {
    const others = steps().filter((s) => s.uses && !isThisAction(s.uses))
    expect(others.map((s) => s.uses)).toContain('actions/checkout@v7')
    expect(others.flatMap(checkPinned)).toEqual([])
    expect(others.flatMap((s) => checkCurrentMajor(s, CURRENT_NODE24_MAJORS))).toEqual([])
  })
})

describe('what each workflow is for', () => {
  /** Every `run:` script of the workflow's steps, one after the other. */
  const runs = (file: string) => {
    const jobs = workflow(file).jobs as Record<string, { steps: Array<{ run?: string }> }>
    return Object.values(jobs)
      .flatMap((job) => job.steps.map((s) => s.run ?? ''))
      .join('\n')
  }

  it('CI runs the README’s test command (through .ci/run, as root) and the dist/ check', () => {
    expect(readFileSync(join(ROOT, '.ci', 'run'), 'utf8')).toContain('<!-- test-command:start -->')
    expect(runs('ci.yml')).toMatch(/^sudo .*bash \.ci\/run$/m)
    expect(runs('ci.yml')).toMatch(/^npm run check:generated$/m)
  })

  it('dogfood runs uses: ./ in pull requests, may comment, with the demo’s budgets', () => {
    const doc = workflow('dogfood.yml')
    expect(Object.keys(doc.on as object)).toEqual(['pull_request'])
    expect(doc.permissions).toMatchObject({ 'pull-requests': 'write' })
    const demo = stepsOf(doc, 'dogfood.yml').find((s) => s.uses === './')
    const command =
      /<!-- demo-command:start -->[\s\S]*?\n(node dist\/cli\.js [^\n]*)/.exec(readme)?.[1] ?? ''
    const [, , base, head, ...flags] = command.split(' ').slice(1)
    expect(flags).toContain('--max-increase')
    expect(demo?.with).toMatchObject({ 'base-image': base, 'head-image': head })
    for (let i = 0; i < flags.length; i += 2) {
      if (flags[i] !== '--format') expect(demo?.with?.[flags[i].slice(2)]).toBe(flags[i + 1])
    }
  })

  it('release moves the major tag on a published release', () => {
    const doc = workflow('release.yml')
    expect(doc.on).toEqual({ release: { types: ['published'] } })
    expect(doc.permissions).toEqual({ contents: 'write' })
    expect(runs('release.yml')).toMatch(/git push --force origin "refs\/tags\/\$major"/)
  })
})

describe('action.yml', () => {
  it('does not require head-image (build mode leaves it empty)', () => {
    expect(inputs.get('head-image')).toEqual({ required: false, hasDefault: true })
  })

  it('has no input that the action does not read', () => {
    // getInputs reads every input of the table's action and both scopes (src/inputs-table.ts);
    // __tests__/action/inputs.test.ts shows what each one does.
    const read: string[] = inputNames('action', 'both')
    const unread = [...inputs.keys()].filter((name) => !read.includes(name))
    expect(unread).toEqual([])
  })
})
