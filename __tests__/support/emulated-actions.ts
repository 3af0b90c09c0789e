import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs'
import { basename, isAbsolute, join } from 'node:path'
import { dockerCli, type TestEngine } from './engines.js'
import { git, UnsupportedStep } from './readme-workflows.js'
import type { JobRun, RunnerSetup, StepRun } from './readme-workflow-runner.js'

/**
 * The other actions of the README's workflows, emulated on this machine for the runner
 * (readme-workflow-runner.ts): actions/checkout (a clone of the fixture repository, depth 1 as
 * by default), docker/build-push-action (a real `docker build` on the test engine, its tags
 * renamed into this test's namespace), actions/upload-artifact and download-artifact (copies
 * between the legs' folders, v4+ naming and layout), and the image references this action is
 * given (rewriteImages).
 */

export function checkout(inputs: Record<string, string>, leg: JobRun, setup: RunnerSetup): void {
  const depth = inputs['fetch-depth'] === '0' ? [] : [`--depth=${inputs['fetch-depth'] || '1'}`]
  git(leg.workspace, [
    'clone',
    '--quiet',
    ...depth,
    '--branch',
    'feature',
    `file://${setup.repo.dir}`,
    '.',
  ])
}

/** A tag of the README (app:pr-7) as a tag of this test on the engine, same repository name. */
export function localTag(tag: string): string {
  const at = tag.lastIndexOf(':')
  const [name, version] =
    at > tag.lastIndexOf('/') ? [tag.slice(0, at), tag.slice(at + 1)] : [tag, 'latest']
  const last = name
    .split('/')
    .pop()!
    .toLowerCase()
    .replace(/[^a-z0-9._-]/g, '-')
  return `isg-readme-wf/${last}:${version.replace(/[^\w.-]/g, '-')}`
}

export function buildPush(
  inputs: Record<string, string>,
  record: StepRun,
  leg: JobRun,
  setup: RunnerSetup,
): void {
  const tags = (inputs.tags ?? '')
    .split(/[,\n]/)
    .map((t) => t.trim())
    .filter(Boolean)
  if (tags.length === 0) throw new UnsupportedStep(`${record.where}: no tags to load the image as`)
  const context = join(leg.workspace, inputs.context || '.')
  const args = ['build', '--quiet', '--network', 'host']
  for (const tag of tags) {
    args.push('-t', localTag(tag))
    setup.builtTags.add(localTag(tag))
  }
  if (inputs.file) args.push('-f', join(leg.workspace, inputs.file))
  if (inputs.target) args.push('--target', inputs.target)
  for (const arg of (inputs['build-args'] ?? '')
    .split('\n')
    .map((a) => a.trim())
    .filter(Boolean))
    args.push('--build-arg', arg)
  dockerCli(setup.engine, [...args, context])
  record.outputs = {
    imageid: dockerCli(setup.engine, [
      'image',
      'inspect',
      '-f',
      '{{.Id}}',
      localTag(tags[0]),
    ]).trim(),
  }
}

/**
 * Image references in this action's inputs: a tag a build-push step loaded becomes its local
 * tag; a registry reference (a host with a dot or a port: ghcr.io/…) is the image main
 * publishes, built from the base commit. docker:// needs a registry copy: not emulated.
 */
export function rewriteImages(value: string, setup: RunnerSetup, where: string): string {
  const out = value.replace(
    /(docker:\/\/)?\b((?:[a-z0-9-]+\.)+[a-z]{2,}(?::\d+)?|localhost:\d+)\/[a-z0-9._/-]+(?::[\w.-]+)?(?:@sha256:[0-9a-f]{64})?/g,
    (ref, scheme?: string) => {
      if (scheme)
        throw new UnsupportedStep(
          `${where}: ${ref}: docker:// references (a registry copy of the image) are not emulated`,
        )
      return setup.published
    },
  )
  return out.replace(
    /(^|[\s,'"])([a-z0-9][\w./-]*:[\w.-]+)(?=$|[\s,'"])/g,
    (m, pre: string, ref: string) =>
      setup.builtTags.has(localTag(ref)) ? `${pre}${localTag(ref)}` : m,
  )
}

export function uploadArtifact(
  inputs: Record<string, string>,
  record: StepRun,
  leg: JobRun,
  store: Map<string, string>,
): void {
  const name = inputs.name || 'artifact'
  if (store.has(name)) {
    record.ok = false
    record.reason = `an artifact named ${name} was already uploaded in this run (names are unique since v4)`
    return
  }
  const target = join(leg.workspace, '..', 'artifacts', name)
  mkdirSync(target, { recursive: true })
  for (const path of inputs.path
    .split('\n')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const full = isAbsolute(path) ? path : join(leg.workspace, path)
    if (!existsSync(full)) continue // if-no-files-found: warn
    if (statSync(full).isDirectory()) cpSync(full, target, { recursive: true })
    else cpSync(full, join(target, basename(full)))
  }
  store.set(name, target)
}

export function downloadArtifact(
  inputs: Record<string, string>,
  record: StepRun,
  leg: JobRun,
  from: { setup: RunnerSetup; runId: number },
): void {
  // run-id: another run's artifacts (the triggering run of a workflow_run); default this run's
  const runId = inputs['run-id'] ? Number(inputs['run-id']) : from.runId
  const store = from.setup.artifacts.get(runId)
  if (!store) {
    record.ok = false
    record.reason = `no run ${runId} to download artifacts from`
    return
  }
  const into = join(leg.workspace, inputs.path || '.')
  if (inputs.name) {
    const dir = store.get(inputs.name)
    if (!dir) {
      record.ok = false
      record.reason = `Artifact not found: ${inputs.name} (run ${runId} has ${[...store.keys()].join(', ') || 'none'})`
      return
    }
    cpSync(dir, into, { recursive: true })
    return
  }
  const glob = new RegExp(
    `^${(inputs.pattern || '*')
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  )
  for (const [name, dir] of store) {
    if (!glob.test(name)) continue
    cpSync(dir, inputs['merge-multiple'] === 'true' ? into : join(into, name), { recursive: true })
  }
}

/** Every file under `dir`, relative (for messages). */
export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) =>
    statSync(join(dir, f)).isFile(),
  )
}

export const removeTags = (engine: TestEngine, tags: Iterable<string>): void => {
  const list = [...tags]
  if (list.length > 0)
    execFileSync('docker', ['rmi', '--force', ...list], {
      env: { ...process.env, DOCKER_HOST: engine.host },
      stdio: 'ignore',
    })
}
