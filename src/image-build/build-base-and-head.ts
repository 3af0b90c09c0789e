import type { BuildTime, BuildTimes } from '../model/build-time.js'
import type { Logger } from '../util/log.js'
import { BuildError } from './build-error.js'
import {
  buildImage,
  cleanupBuiltImages,
  prepareBuilder,
  summarizeBuildFailure,
} from './build-image.js'
import { buildTags, findMissingInput, type BuildSpec } from './build-spec.js'
import type { CommandRunner } from './command-runner.js'
import { ensureCommit, withWorktree } from './git-worktree.js'

export interface BuildBaseAndHeadOptions {
  /** The checkout of the pull request (the repository root). */
  workspace: string
  /** The commit the base image is built from (the PR's base SHA). */
  baseSha: string
  /** Makes the tags unique, e.g. `${GITHUB_RUN_ID}-${GITHUB_RUN_ATTEMPT}`. */
  runId: string
  log: Logger
  /** Extra environment for docker, e.g. `{ DOCKER_HOST }`. */
  env?: Record<string, string>
  /** Where the base worktree goes; RUNNER_TEMP or the OS temp directory when absent. */
  tempDir?: string
  /** Runs docker and git (the action passes its exec adapter) */
  runCommand: CommandRunner
}

/** The base side did not build: not an error (a PR may add the Dockerfile, or fix it). */
export interface BaseBuildFailure {
  /** One line: "base build failed: " and what went wrong. */
  failed: string
  logTail: string[]
}

/** The base build's outcome, and how long it took when it ran (absent only from test fakes). */
export type BaseBuild = ({ tag: string } | BaseBuildFailure) & { time?: BuildTime }

export interface BaseAndHead {
  /** Tag of the pull request's image. */
  head: string
  base: BaseBuild
  /** How long each build took (absent only from test fakes) */
  times?: BuildTimes
}

/**
 * Builds the PR's image from the workspace and the base image from `baseSha` in a temporary
 * worktree, with the same spec. The base commit is made available first (fetched when the
 * checkout is shallow), so an unreachable base fails before any build. A head build failure
 * throws a BuildError; a base that has no Dockerfile or does not build is `base.failed`.
 *
 * The base is built second, with the PR image as a cache source where the builder needs one
 * (see baseSpec), so the steps the two share are not run again. Only the PR image's build
 * writes `cacheTo`: the base's would overwrite it.
 */
export async function buildBaseAndHead(
  spec: BuildSpec,
  options: BuildBaseAndHeadOptions,
): Promise<BaseAndHead> {
  const tags = buildTags(options.runId)
  const { buildx } = await prepareBuilder(spec, { ...options, cwd: options.workspace })
  await ensureCommit(options.workspace, options.baseSha, options)
  const head = await buildHead(spec, tags.head, { ...options, buildx })
  const tempDir = options.tempDir ?? process.env.RUNNER_TEMP
  try {
    const base = await withWorktree(
      options.workspace,
      options.baseSha,
      { log: options.log, runCommand: options.runCommand, tempDir: tempDir || undefined },
      (dir) => buildBase(baseSpec(spec, tags.head, buildx), tags.base, dir, { ...options, buildx }),
    )
    return { head: tags.head, base, times: { head, base: base.time } }
  } catch (error) {
    // The caller never learns the head tag when this throws, so nothing else would remove it.
    await cleanupBuiltImages([tags.head], options)
    throw error
  }
}

/**
 * Builds only the base image from `baseSha` (the PR image comes from elsewhere, e.g. an earlier
 * docker/build-push-action step). A base that does not build is `failed`, as above.
 */
export async function buildBaseOnly(
  spec: BuildSpec,
  options: BuildBaseAndHeadOptions,
): Promise<BaseBuild> {
  const tags = buildTags(options.runId)
  if ((spec.cacheTo ?? []).length > 0)
    options.log.warning(
      "cache-to is written by the PR image's build, and head-image gives that image: no cache is written",
    )
  const baseOnly = { ...spec, cacheTo: [] }
  const { buildx } = await prepareBuilder(baseOnly, { ...options, cwd: options.workspace })
  await ensureCommit(options.workspace, options.baseSha, options)
  const tempDir = options.tempDir ?? process.env.RUNNER_TEMP
  return withWorktree(
    options.workspace,
    options.baseSha,
    { log: options.log, runCommand: options.runCommand, tempDir: tempDir || undefined },
    (dir) => buildBase(baseOnly, tags.base, dir, { ...options, buildx }),
  )
}

/**
 * The base build's spec: the user's caches to read, none to write, and the PR image first
 * among them for the classic builder when the user gave any. That builder reuses any local
 * image's steps on its own, but given --cache-from it reuses only the steps of those images,
 * so without the PR image there the steps the two share would run again. BuildKit keeps its
 * own cache of the PR build (and would look the local tag up in a registry): nothing to add.
 */
export function baseSpec(spec: BuildSpec, headTag: string, buildx: boolean): BuildSpec {
  const from = spec.cacheFrom ?? []
  const head = { text: headTag, type: 'image' }
  return { ...spec, cacheFrom: !buildx && from.length > 0 ? [head, ...from] : from, cacheTo: [] }
}

async function buildHead(
  spec: BuildSpec,
  tag: string,
  options: BuildBaseAndHeadOptions & { buildx: boolean },
): Promise<BuildTime | undefined> {
  options.log.info(`Building the pull request's image as ${tag}`)
  const missing = findMissingInput(spec, options.workspace)
  if (missing) throw new BuildError(`Cannot build the pull request's image: ${missing}`, [])
  const result = await buildImage(spec, { ...options, cwd: options.workspace, tag })
  if (!result.ok) {
    const reason = summarizeBuildFailure(result.logTail)
    throw new BuildError(`Building the pull request's image failed: ${reason}`, result.logTail)
  }
  return result.time
}

async function buildBase(
  spec: BuildSpec,
  tag: string,
  dir: string,
  options: BuildBaseAndHeadOptions & { buildx: boolean },
): Promise<BaseBuild> {
  const commit = options.baseSha.slice(0, 12)
  options.log.info(`Building the base image from ${commit} as ${tag}`)
  const missing = findMissingInput(spec, dir)
  if (missing) {
    const failed = `base build failed: ${missing} in the base commit ${commit}`
    options.log.warning(failed)
    return { failed, logTail: [] }
  }
  const result = await buildImage(spec, { ...options, cwd: dir, tag })
  if (result.ok) return { tag, time: result.time }
  const failed = `base build failed: ${summarizeBuildFailure(result.logTail)}`
  options.log.warning(failed)
  return { failed, logTail: result.logTail, time: result.time }
}
