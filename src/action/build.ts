import type { BuildTime, BuildTimes } from '../model/build-time.js'
import type { ImageSourceRef } from '../model/reference.js'
import type { GateOptions, ParsedOptions } from '../options.js'
import { summarizeBuildFailure } from '../image-build/build-image.js'
import {
  buildBaseAndHead,
  buildBaseOnly,
  buildImage,
  BuildError,
  buildTags,
  cleanupBuiltImages,
  type BaseBuild,
  type BuildSpec,
} from '../image-build/index.js'
import type { Logger } from '../util/log.js'
import { runCommand } from './run-command.js'

/**
 * What building takes from outside: the builds themselves and the docker CLI's environment.
 * The action uses the real ones (DEFAULT_BUILDER); tests pass a recording fake.
 */
export interface ImageBuilder {
  buildImage: typeof buildImage
  buildBaseAndHead: typeof buildBaseAndHead
  buildBaseOnly: typeof buildBaseOnly
  cleanupBuiltImages: typeof cleanupBuiltImages
  /** The environment that makes the docker CLI use the engine the images are read from */
  engineEnv: (log: Logger) => Promise<Record<string, string>>
}

export interface BuildContext {
  workspace: string
  /** The PR's base commit; undefined outside pull requests */
  baseSha?: string
  runId: string
  log: Logger
  /** Default: DEFAULT_BUILDER */
  builder?: ImageBuilder
}

/** The images to compare, with the tags to remove when the run is over. */
export interface BuiltImages {
  gate: GateOptions
  builtTags: string[]
  /** How long each image this run built took; absent when nothing was built */
  builds?: BuildTimes
}

const engineRef = (tag: string): ImageSourceRef => ({
  transport: 'engine',
  reference: tag,
  pull: false,
})

/**
 * Builds what the inputs leave to the action: the PR image from the workspace when head-image
 * is empty, and the base image from the base commit when base-image is empty. A base that
 * cannot be built is "no baseline", not an error; a PR image that cannot be built is an error.
 */
export async function buildRequestedImages(
  parsed: ParsedOptions,
  spec: BuildSpec | undefined,
  context: BuildContext,
): Promise<BuiltImages> {
  if (!spec) return { gate: { ...parsed, head: parsed.head as ImageSourceRef }, builtTags: [] }
  const builder = context.builder ?? DEFAULT_BUILDER
  const baseSha = parsed.base ? undefined : context.baseSha
  if (!parsed.base && !baseSha) context.log.warning(`Not a pull request: ${NO_BASE_COMMIT}`)
  // The docker CLI builds on the engine the images are then read from (DOCKER_CONTEXT pinned).
  const env = await builder.engineEnv(context.log)
  const options = {
    workspace: context.workspace,
    runId: context.runId,
    log: context.log,
    env,
    runCommand,
  }
  if (!parsed.head && baseSha) {
    // Both: the base commit is fetched before any build, so a missing one fails fast.
    const built = await builder.buildBaseAndHead(spec, { ...options, baseSha })
    const head = built.times?.head
    return withBase(
      parsed,
      { ref: engineRef(built.head), tags: [built.head], time: head },
      built.base,
    )
  }
  const headBuild = parsed.head
    ? undefined
    : await buildHeadOnly(spec, { ...context, env, builder })
  const head = parsed.head ?? engineRef(headBuild?.tag as string)
  const headTags = headBuild ? [headBuild.tag] : []
  const builds = headBuild?.time ? { builds: { head: headBuild.time } } : {}
  if (parsed.base) return { gate: { ...parsed, head }, builtTags: headTags, ...builds }
  if (!baseSha)
    return {
      gate: { ...parsed, head, noBaseline: NO_BASE_COMMIT },
      builtTags: headTags,
      ...builds,
    }
  return withBase(
    parsed,
    { ref: head, tags: headTags, time: headBuild?.time },
    await builder.buildBaseOnly(spec, { ...options, baseSha }),
  )
}

const NO_BASE_COMMIT = 'there is no base commit to build, so there is no baseline'

async function buildHeadOnly(
  spec: BuildSpec,
  context: BuildContext & { env: Record<string, string>; builder: ImageBuilder },
): Promise<{ tag: string; time?: BuildTime }> {
  const tag = buildTags(context.runId).head
  const result = await context.builder.buildImage(spec, {
    cwd: context.workspace,
    tag,
    log: context.log,
    env: context.env,
    runCommand,
  })
  if (!result.ok) {
    throw new BuildError(
      `Building the pull request's image failed: ${summarizeBuildFailure(result.logTail)}`,
      result.logTail,
    )
  }
  return { tag, time: result.time }
}

/** The gate options once the base build is over: its image, or no baseline with its log. */
function withBase(
  parsed: ParsedOptions,
  headImage: { ref: ImageSourceRef; tags: string[]; time?: BuildTime },
  base: BaseBuild,
): BuiltImages {
  const { ref: head, tags: headTags } = headImage
  const times: BuildTimes = {
    ...(headImage.time ? { head: headImage.time } : {}),
    ...(base.time ? { base: base.time } : {}),
  }
  const builds = Object.keys(times).length > 0 ? { builds: times } : {}
  if ('tag' in base) {
    return {
      gate: { ...parsed, head, base: engineRef(base.tag) },
      builtTags: [...headTags, base.tag],
      ...builds,
    }
  }
  return {
    gate: { ...parsed, head, noBaseline: base.failed, noBaselineLog: base.logTail },
    builtTags: headTags,
    ...builds,
  }
}

export async function removeBuiltImages(
  tags: string[],
  log: Logger,
  builder: ImageBuilder = DEFAULT_BUILDER,
): Promise<void> {
  if (tags.length > 0)
    await builder.cleanupBuiltImages(tags, { log, env: await builder.engineEnv(log), runCommand })
}

/**
 * The environment that makes the docker CLI use the engine the engine source reads. Loaded on
 * first use, like the engine source: runs without a build never read the contexts store.
 */
async function engineEnv(log: Logger): Promise<Record<string, string>> {
  const { dockerCliEnv, resolveRunEndpoint } = await import('../sources/engine/resolve-endpoint.js')
  return dockerCliEnv(resolveRunEndpoint(log))
}

export const DEFAULT_BUILDER: ImageBuilder = {
  buildImage,
  buildBaseAndHead,
  buildBaseOnly,
  cleanupBuiltImages,
  engineEnv,
}
