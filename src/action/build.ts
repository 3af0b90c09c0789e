import type { ImageSourceRef } from '../model/reference.js'
import type { GateOptions, ParsedOptions } from '../options.js'
import { summarizeBuildFailure } from '../sources/build/build-image.js'
import {
  buildBaseAndHead,
  buildBaseOnly,
  buildImage,
  BuildError,
  buildTags,
  cleanupBuiltImages,
  type BuildSpec,
} from '../sources/build/index.js'
import type { Logger } from '../util/log.js'

export interface BuildContext {
  workspace: string
  /** The PR's base commit; undefined outside pull requests */
  baseSha?: string
  runId: string
  log: Logger
}

/** The images to compare, with the tags to remove when the run is over. */
export interface BuiltImages {
  gate: GateOptions
  builtTags: string[]
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
  if (parsed.head) return buildBaseFor(parsed, parsed.head, spec, context)
  if (parsed.base || !context.baseSha) {
    if (!parsed.base)
      context.log.warning(
        'Not a pull request: there is no base commit to build, so there is no baseline',
      )
    const tag = buildTags(context.runId).head
    const result = await buildImage(spec, { cwd: context.workspace, tag, log: context.log })
    if (!result.ok)
      throw new BuildError(
        `Building the pull request's image failed: ${summarizeBuildFailure(result.logTail)}`,
        result.logTail,
      )
    const noBaseline = parsed.base
      ? undefined
      : 'not a pull request, so there is no base commit to build'
    return { gate: { ...parsed, head: engineRef(tag), noBaseline }, builtTags: [tag] }
  }
  const built = await buildBaseAndHead(spec, {
    workspace: context.workspace,
    baseSha: context.baseSha,
    runId: context.runId,
    log: context.log,
  })
  if ('tag' in built.base) {
    return {
      gate: { ...parsed, head: engineRef(built.head), base: engineRef(built.base.tag) },
      builtTags: [built.head, built.base.tag],
    }
  }
  return {
    gate: {
      ...parsed,
      head: engineRef(built.head),
      noBaseline: built.base.failed,
      noBaselineLog: built.base.logTail,
    },
    builtTags: [built.head],
  }
}

/** head-image is given: build only the base image, from the PR's base commit. */
async function buildBaseFor(
  parsed: ParsedOptions,
  head: ImageSourceRef,
  spec: BuildSpec,
  context: BuildContext,
): Promise<BuiltImages> {
  if (!context.baseSha) {
    context.log.warning(
      'Not a pull request: there is no base commit to build, so there is no baseline',
    )
    return {
      gate: {
        ...parsed,
        head,
        noBaseline: 'not a pull request, so there is no base commit to build',
      },
      builtTags: [],
    }
  }
  const base = await buildBaseOnly(spec, {
    workspace: context.workspace,
    baseSha: context.baseSha,
    runId: context.runId,
    log: context.log,
  })
  return 'tag' in base
    ? { gate: { ...parsed, head, base: engineRef(base.tag) }, builtTags: [base.tag] }
    : {
        gate: { ...parsed, head, noBaseline: base.failed, noBaselineLog: base.logTail },
        builtTags: [],
      }
}

export async function removeBuiltImages(tags: string[], log: Logger): Promise<void> {
  if (tags.length > 0) await cleanupBuiltImages(tags, { log })
}
