import { existsSync, statSync } from 'node:fs'
import { isAbsolute, join, normalize } from 'node:path'
import type { CacheEntry } from './cache-entries.js'

/** What to build. Paths are relative to the repository root (the workspace or a worktree). */
export interface BuildSpec {
  /** The build context directory, e.g. `.`. */
  context: string
  /** The Dockerfile; docker's default (`<context>/Dockerfile`) when absent. */
  dockerfile?: string
  /** A stage of a multi-stage Dockerfile (`--target`). */
  target?: string
  /** `--build-arg KEY=VALUE` for each entry; see parseBuildArgs. */
  buildArgs: Record<string, string>
  /** `--network` for RUN steps, e.g. `host` on engines without a bridge network. */
  network?: string
  /** `--cache-from` for each entry, as written (see parseCacheEntries) */
  cacheFrom?: CacheEntry[]
  /** `--cache-to` for each entry (the PR image's build only: see buildBaseAndHead) */
  cacheTo?: CacheEntry[]
}

export interface BuildTags {
  head: string
  base: string
}

const REPOSITORY = 'image-size-gate-build'
/** A tag is at most 128 characters of [A-Za-z0-9_.-], not starting with `.` or `-`. */
const TAG_ROOM = 128 - '-head'.length

/** Unique tags for one run: lowercase, invalid characters replaced with `-`. */
export function buildTags(runId: string): BuildTags {
  const id =
    runId
      .toLowerCase()
      .replace(/[^a-z0-9_.-]+/g, '-')
      .replace(/^[.-]+/, '')
      .slice(0, TAG_ROOM) || 'run'
  return { head: `${REPOSITORY}:${id}-head`, base: `${REPOSITORY}:${id}-base` }
}

/** The Dockerfile path relative to the repository root, as docker resolves a missing `-f`. */
export function dockerfilePath(spec: BuildSpec): string {
  return spec.dockerfile ?? join(spec.context, 'Dockerfile')
}

/** Why `root` cannot be built with `spec` before docker is asked, or null. */
export function findMissingInput(spec: BuildSpec, root: string): string | null {
  for (const path of [spec.context, dockerfilePath(spec)]) {
    if (isAbsolute(path) || normalize(path).split(/[\\/]/)[0] === '..') {
      return `${path} is outside the repository`
    }
  }
  const context = join(root, spec.context)
  if (!existsSync(context) || !statSync(context).isDirectory()) {
    return `the build context ${spec.context} is not a directory`
  }
  const dockerfile = join(root, dockerfilePath(spec))
  if (!existsSync(dockerfile) || !statSync(dockerfile).isFile()) {
    return `there is no Dockerfile at ${dockerfilePath(spec)}`
  }
  return null
}

/** Arguments after `docker build` / `docker buildx build`, ending with the context. */
export function buildCommandArgs(spec: BuildSpec, tag: string): string[] {
  const args = ['--tag', tag, '--file', dockerfilePath(spec)]
  if (spec.target) args.push('--target', spec.target)
  if (spec.network) args.push('--network', spec.network)
  for (const [key, value] of Object.entries(spec.buildArgs)) {
    args.push('--build-arg', `${key}=${value}`)
  }
  for (const entry of spec.cacheFrom ?? []) args.push('--cache-from', entry.text)
  for (const entry of spec.cacheTo ?? []) args.push('--cache-to', entry.text)
  return [...args, spec.context]
}
