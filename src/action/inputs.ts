import * as core from '@actions/core'
import { parseOptions, type ParsedOptions, type RawOptions } from '../options.js'
import { isBuildArgsError, parseBuildArgs, type BuildSpec } from '../image-build/index.js'
import { parseDockerReference } from '../model/reference.js'
import { problem } from '../budget/budget.js'
import { InputError } from '../util/errors.js'

/** The action's inputs, parsed once. The only place that calls core.getInput. */
export interface Inputs {
  /** The comparison's options; `head` is absent when the action builds the PR image */
  gate: ParsedOptions
  /** Set when the action builds images (the `context` input) */
  build?: BuildSpec
  comment: boolean
  /** Sticky-comment identity; see action.yml */
  commentKey: string
  githubToken: string
}

const OPTION_INPUTS: Array<keyof RawOptions> = [
  'base-image',
  'head-image',
  'max-size',
  'warn-size',
  'max-increase',
  'warn-increase',
  'max-layers',
  'size-basis',
  'registry',
  'registry-username',
  'registry-password',
  'platforms',
  'insecure-registries',
  'base-missing',
]

export function getInputs(): Inputs {
  const raw: RawOptions = {}
  for (const name of OPTION_INPUTS) raw[name] = core.getInput(name)
  if (raw['registry-password']) core.setSecret(raw['registry-password'])
  const problems: string[] = []
  const build = getBuildSpec(problems)
  let gate: ParsedOptions | undefined
  try {
    gate = parseOptions(raw, { headRequired: !build })
  } catch (error) {
    if (!(error instanceof InputError)) throw error
    problems.push(...error.problems)
  }
  const commentText = core.getInput('comment').trim().toLowerCase() || 'true'
  if (commentText !== 'true' && commentText !== 'false') {
    problems.push(problem('comment', core.getInput('comment'), '"true" or "false"'))
  }
  if (problems.length > 0 || !gate) throw new InputError(problems)
  if (build && gate.head && gate.base) {
    problems.push(
      problem(
        'context',
        build.context,
        'to be empty when head-image and base-image are both set (nothing is left to build)',
      ),
    )
    throw new InputError(problems)
  }
  return {
    gate,
    build,
    comment: commentText === 'true',
    commentKey:
      core.getInput('comment-key').trim() || defaultCommentKey(raw['head-image'] ?? '', build),
    githubToken: core.getInput('github-token'),
  }
}

/** The head image's repository, without tag or digest: stable across PR builds, distinct per image. */
export function defaultCommentKey(headImage: string, build?: BuildSpec): string {
  if (!headImage.trim() && build)
    return `build:${build.dockerfile ?? `${build.context}/Dockerfile`}${build.target ? `:${build.target}` : ''}`
  const bare = headImage.replace(/^(docker:\/\/|docker-daemon:)/, '')
  const parsed = parseDockerReference(bare)
  return 'error' in parsed ? headImage : `${parsed.registry}/${parsed.repository}`
}

function getBuildSpec(problems: string[]): BuildSpec | undefined {
  const context = core.getInput('context').trim()
  const argsText = core.getInput('build-args')
  const buildArgs = parseBuildArgs(argsText)
  if (isBuildArgsError(buildArgs)) problems.push(problem('build-args', argsText, buildArgs.error))
  if (!context) return undefined
  return {
    context,
    dockerfile: core.getInput('dockerfile').trim() || undefined,
    target: core.getInput('target').trim() || undefined,
    buildArgs: isBuildArgsError(buildArgs) ? {} : buildArgs,
    network: core.getInput('build-network').trim() || undefined,
  }
}
