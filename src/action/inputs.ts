import * as core from '@actions/core'
import { parseOptions, type GateOptions, type RawOptions } from '../options.js'
import { parseDockerReference } from '../model/reference.js'
import { problem } from '../budget/budget.js'
import { InputError } from '../util/errors.js'

/** The action's inputs, parsed once. The only place that calls core.getInput. */
export interface Inputs {
  gate: GateOptions
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
  'registry-username',
  'registry-password',
]

export function getInputs(): Inputs {
  const raw: RawOptions = {}
  for (const name of OPTION_INPUTS) raw[name] = core.getInput(name)
  if (raw['registry-password']) core.setSecret(raw['registry-password'])
  const problems: string[] = []
  let gate: GateOptions | undefined
  try {
    gate = parseOptions(raw)
  } catch (error) {
    if (!(error instanceof InputError)) throw error
    problems.push(...error.problems)
  }
  const commentText = core.getInput('comment').trim().toLowerCase() || 'true'
  if (commentText !== 'true' && commentText !== 'false') {
    problems.push(problem('comment', core.getInput('comment'), '"true" or "false"'))
  }
  if (problems.length > 0 || !gate) throw new InputError(problems)
  return {
    gate,
    comment: commentText === 'true',
    commentKey: core.getInput('comment-key').trim() || defaultCommentKey(raw['head-image'] ?? ''),
    githubToken: core.getInput('github-token'),
  }
}

/** The head image's repository, without tag or digest: stable across PR builds, distinct per image. */
export function defaultCommentKey(headImage: string): string {
  const bare = headImage.replace(/^(docker:\/\/|docker-daemon:)/, '')
  const parsed = parseDockerReference(bare)
  return 'error' in parsed ? headImage : `${parsed.registry}/${parsed.repository}`
}
