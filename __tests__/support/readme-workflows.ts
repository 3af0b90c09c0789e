import { git } from '../image-build/git-fixture.js'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join, normalize } from 'node:path'
import { parse } from 'yaml'
import { isThisAction } from '../workflows/workflow-rules.js'
import { evaluate, ExpressionError } from './workflow-expressions.js'

/**
 * The README's ```yaml blocks as workflows the e2e framework runs (readme-workflow-runner.ts):
 * full workflows (`jobs:`), bare lists of steps (run as one job of a pull_request workflow after
 * a checkout), and fragments (`on:` alone, no jobs), which a test must either use or list with a
 * reason. Also the throwaway git repository the workflows check out, with a Dockerfile in every
 * build context any block names, so a new README workflow needs no change here.
 */

/** A step, job or event the test runner cannot run: the test names the block and why. */
export class UnsupportedStep extends Error {}

export interface StepDef {
  id?: string
  name?: string
  uses?: string
  run?: string
  if?: unknown
  with?: Record<string, unknown>
  'continue-on-error'?: unknown
}

export interface JobDef {
  needs?: string | string[]
  if?: unknown
  strategy?: { matrix?: Record<string, unknown> }
  steps?: StepDef[]
}

export interface WorkflowDef {
  name?: string
  on?: unknown
  permissions?: Record<string, string> | string
  jobs: Record<string, JobDef>
}

export interface ReadmeBlock {
  /** 1-based among the README's yaml blocks */
  number: number
  /** The heading the block is under */
  section: string
  line: number
  /** For messages: `README.md yaml block 4 (line 199, "Matrix builds")` */
  where: string
  kind: 'workflow' | 'steps' | 'fragment'
  doc: unknown
  /** A step somewhere in it uses this action */
  usesAction: boolean
}

/** Every ```yaml block of the README, indented ones (inside list items) included. */
export function readmeBlocks(readme: string): ReadmeBlock[] {
  const blocks: ReadmeBlock[] = []
  const lines = readme.split('\n')
  let section = ''
  for (let i = 0; i < lines.length; i++) {
    const heading = /^#{2,4} (.+)$/.exec(lines[i])
    if (heading) section = heading[1].trim()
    const open = /^( *)```ya?ml\s*$/.exec(lines[i])
    if (!open) continue
    const indent = open[1].length
    const body: string[] = []
    let j = i + 1
    for (; j < lines.length && !/^ *```\s*$/.test(lines[j]); j++) body.push(lines[j].slice(indent))
    const doc: unknown = parse(body.join('\n'))
    const number = blocks.length + 1
    const kind = Array.isArray(doc)
      ? 'steps'
      : doc && typeof doc === 'object' && 'jobs' in doc
        ? 'workflow'
        : 'fragment'
    const where = `README.md yaml block ${number} (line ${i + 1}, "${section}")`
    blocks.push({ number, section, line: i + 1, where, kind, doc, usesAction: false })
    blocks[blocks.length - 1].usesAction = stepsOfBlock(blocks[blocks.length - 1]).some(
      (s) => typeof s.uses === 'string' && isThisAction(s.uses),
    )
    i = j
  }
  return blocks
}

export function stepsOfBlock(block: ReadmeBlock): StepDef[] {
  if (block.kind === 'steps') return block.doc as StepDef[]
  if (block.kind !== 'workflow') return []
  return Object.values((block.doc as WorkflowDef).jobs ?? {}).flatMap((j) => j?.steps ?? [])
}

/** The block as a workflow: a list of steps becomes one pull_request job after a checkout. */
export function asWorkflow(block: ReadmeBlock): WorkflowDef {
  if (block.kind === 'workflow') return block.doc as WorkflowDef
  if (block.kind === 'steps')
    return {
      name: `README block ${block.number}`,
      on: 'pull_request',
      permissions: { contents: 'read', 'pull-requests': 'write' },
      jobs: { size: { steps: [{ uses: 'actions/checkout@v7' }, ...(block.doc as StepDef[])] } },
    }
  throw new Error(`${block.where} is a fragment (no jobs, no steps): it cannot run on its own`)
}

/** The combinations of a job's `strategy.matrix` (include and exclude as GitHub applies them). */
export function matrixOf(job: JobDef): Array<Record<string, string>> {
  const matrix = job.strategy?.matrix
  if (!matrix) return [{}]
  const { include, exclude, ...axes } = matrix as Record<string, unknown>
  let combos: Array<Record<string, string>> = [{}]
  for (const [key, values] of Object.entries(axes)) {
    if (!Array.isArray(values)) throw new Error(`matrix.${key} is not a list`)
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [key]: String(v) })))
  }
  const matches = (c: Record<string, string>, part: Record<string, unknown>) =>
    Object.entries(part).every(([k, v]) => !(k in axes) || c[k] === String(v))
  if (Array.isArray(exclude)) combos = combos.filter((c) => !exclude.some((e) => matches(c, e)))
  if (Object.keys(axes).length === 0) combos = []
  for (const extra of Array.isArray(include) ? (include as Array<Record<string, unknown>>) : []) {
    const strings = Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, String(v)]))
    const hits = combos.filter((c) => matches(c, extra))
    if (hits.length > 0) hits.forEach((c) => Object.assign(c, strings))
    else combos.push(strings)
  }
  return combos
}

/**
 * The build contexts and Dockerfiles the blocks name (`context`, `file`, `dockerfile`, also
 * inside list inputs written as YAML), for each matrix combination. Values whose expressions
 * need more than `matrix` are left out (they name nothing the repository could hold).
 */
export function buildPaths(blocks: ReadmeBlock[]): { contexts: string[]; dockerfiles: string[] } {
  const contexts = new Set<string>(['.'])
  const dockerfiles = new Set<string>()
  const visit = (value: unknown, key: string, matrix: Record<string, string>): void => {
    if (Array.isArray(value)) value.forEach((v) => visit(v, '', matrix))
    else if (value && typeof value === 'object')
      Object.entries(value).forEach(([k, v]) => visit(v, k, matrix))
    else if (typeof value === 'string') {
      if (value.includes('\n')) {
        try {
          visit(parse(value), '', matrix)
        } catch {
          // not YAML: a plain multi-line input such as build-args
        }
      }
      const text = tryMatrixOnly(value, matrix)
      if (text === undefined || /^[a-z]+:\/\//.test(text)) return
      if (key === 'context') contexts.add(normalize(text))
      if (key === 'file' || key === 'dockerfile') dockerfiles.add(normalize(text))
    }
  }
  for (const block of blocks.filter((b) => b.kind !== 'fragment')) {
    const workflow = asWorkflow(block)
    for (const job of Object.values(workflow.jobs ?? {})) {
      for (const matrix of matrixOf(job))
        for (const step of job.steps ?? []) visit(step.with ?? {}, '', matrix)
    }
  }
  return { contexts: [...contexts].sort(), dockerfiles: [...dockerfiles].sort() }
}

function tryMatrixOnly(text: string, matrix: Record<string, string>): string | undefined {
  try {
    return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_m, e: string) =>
      String(evaluate(e, { matrix }, { failed: false }) ?? ''),
    )
  } catch (error) {
    if (error instanceof ExpressionError) return undefined
    throw error
  }
}

export { git }

export interface FixtureRepo {
  /** The origin the workflows' checkouts clone (branch main at the base commit, feature at head) */
  dir: string
  baseSha: string
  headSha: string
}

/** Bytes the PR adds to every image (a COPY: no RUN, so no network is needed to build). */
export const GROWTH_BYTES = 3_000_000
const BASE_LINES = ['FROM isg-fixture/busybox:1', 'ARG NODE_ENV', 'COPY base.bin /srv/base.bin']
const HEAD_LINES = [...BASE_LINES, 'COPY grow.bin /srv/grow.bin']

/**
 * A repository whose base commit has, in every context, a Dockerfile over the busybox fixture
 * and a 200 kB file, and whose head commit (the PR) adds GROWTH_BYTES to each. `afterBase` runs
 * on the base commit's tree (to build the image main publishes).
 */
export function makeFixtureRepo(
  dir: string,
  paths: { contexts: string[]; dockerfiles: string[] },
  afterBase: (dir: string) => void,
): FixtureRepo {
  mkdirSync(dir, { recursive: true })
  git(dir, ['init', '--quiet', '--initial-branch=main'])
  const write = (lines: string[], extra: string, bytes: number) => {
    for (const context of paths.contexts) {
      mkdirSync(join(dir, context), { recursive: true })
      writeFileSync(join(dir, context, 'Dockerfile'), `${lines.join('\n')}\n`)
      writeFileSync(join(dir, context, extra), pattern(bytes, extra))
    }
    for (const file of paths.dockerfiles) {
      mkdirSync(dirname(join(dir, file)), { recursive: true })
      writeFileSync(join(dir, file), `${lines.join('\n')}\n`)
    }
  }
  write(BASE_LINES, 'base.bin', 200_000)
  git(dir, ['add', '--all'])
  git(dir, ['commit', '--quiet', '-m', 'base'])
  const baseSha = git(dir, ['rev-parse', 'HEAD'])
  afterBase(dir)
  git(dir, ['checkout', '--quiet', '-b', 'feature'])
  write(HEAD_LINES, 'grow.bin', GROWTH_BYTES)
  git(dir, ['add', '--all'])
  git(dir, ['commit', '--quiet', '-m', 'grow'])
  return { dir, baseSha, headSha: git(dir, ['rev-parse', 'HEAD']) }
}

/** Incompressible-looking bytes without a random source: the test is repeatable. */
function pattern(bytes: number, seed: string): Buffer {
  const out = Buffer.alloc(bytes)
  let x = [...seed].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 2166136261)
  for (let i = 0; i < bytes; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    out[i] = x & 0xff
  }
  return out
}
