import * as core from '@actions/core'
import { parseOptions, type ParsedOptions, type RawOptions } from '../options.js'
import {
  isBuildArgsError,
  parseBuildArgs,
  parseCacheEntries,
  type BuildSpec,
  type CacheEntry,
  type CacheInput,
} from '../image-build/index.js'
import { dockerfilePath } from '../image-build/build-spec.js'
import { parseDockerReference } from '../model/reference.js'
import { problem } from '../budget/budget.js'
import { InputError, type InputProblem } from '../util/errors.js'
import { parseImagesInput, type ImageItem, type ResolveBuild } from './images-input.js'
import { isPlainBranchName, type RecordSettings } from '../size-history/record-policy.js'
import {
  INPUTS,
  inputNames,
  type ActionInputName,
  type BooleanInputName,
  type InputSpec,
} from '../inputs-table.js'

/** The action's inputs, parsed once. The only place that calls core.getInput. */
export interface Inputs {
  /** The comparison's options; `head` is absent when the action builds the PR image */
  gate: ParsedOptions
  /** Set when the action builds images (the `context` input) */
  build?: BuildSpec
  /** false when comment is false or comment-mode is off */
  comment: boolean
  /** The Dockerfile to annotate; undefined when annotations are off or it is not known */
  annotations?: AnnotationSpec
  /** How the sticky comment changes between runs (comment-mode, off folded into `comment`) */
  commentMode: 'update' | 'recreate'
  commentWhen: CommentWhen
  deleteStale: boolean
  checkRun: boolean
  /** Sticky-comment identity; see action.yml */
  commentKey: string
  githubToken: string
  /** Deliberate increases: the accepting label ('' = off) and the description's line */
  accept: { label: string; inBody: boolean }
  /** measure (default): compare images; aggregate, publish: read the `reports` (report-inputs.ts) */
  mode: Mode
  /** The `reports` input's files and directories, as written */
  reports: string[]
  /** The `images` input's images (several-images.ts); undefined when it is empty */
  images?: ImageItem[]
  /** The size history (history, history-branch, history-record-on); undefined when off */
  history?: RecordSettings
}

/** The Dockerfile the PR image was built from, as the annotations read it. */
export interface AnnotationSpec {
  /** Relative to the repository root */
  dockerfile: string
  target?: string
  buildArgs: Record<string, string>
}

export const MODES = ['measure', 'aggregate', 'publish'] as const
export type Mode = (typeof MODES)[number]

export type ActionInputs = Record<ActionInputName, string>

/** Every input of action.yml, as written (core.getInput trims it); secrets masked at once. */
function readInputs(): ActionInputs {
  const text = {} as ActionInputs
  for (const name of inputNames('action', 'both')) {
    text[name] = core.getInput(name)
    const spec: InputSpec = INPUTS[name]
    if (spec.secret && text[name]) core.setSecret(text[name])
  }
  return text
}

export function getInputs(): Inputs {
  const text = readInputs()
  const raw: RawOptions = {}
  for (const name of inputNames('both')) raw[name] = text[name]
  const problems: InputProblem[] = []
  const build = getBuildSpec(text, problems)
  const mode = readMode(text.mode, problems)
  const reports = readList(text.reports)
  if (mode !== 'measure' && reports.length === 0)
    problems.push(
      problem('reports', text.reports, `report files or directories to read in mode ${mode}`),
    )
  const several = text.images.trim() !== ''
  if (several) checkImagesAlone(text, mode, problems)
  let gate: ParsedOptions | undefined
  try {
    gate = parseOptions(raw, { headRequired: !build && !several && mode === 'measure' })
  } catch (error) {
    if (!(error instanceof InputError)) throw error
    problems.push(...error.inputs)
  }
  const comment = readBoolean('comment', text.comment, problems)
  const annotate = readBoolean('annotations', text.annotations, problems)
  const acceptInBody = readBoolean('accept-in-body', text['accept-in-body'], problems)
  // GitHub's limit on a label's name.
  if (text['accept-label'].trim().length > 50)
    problems.push(
      problem(
        'accept-label',
        text['accept-label'],
        'a label name of at most 50 characters, or empty',
      ),
    )
  const commentMode = readChoice('comment-mode', text['comment-mode'], COMMENT_MODES, problems)
  const commentWhen = readChoice('comment-when', text['comment-when'], COMMENT_WHENS, problems)
  const deleteStale = readBoolean('delete-stale', text['delete-stale'], problems)
  const checkRun = readBoolean('check-run', text['check-run'], problems)
  const images = several ? readImages(text, problems) : undefined
  const history = readHistory(text, problems)
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
    comment: comment && commentMode !== 'off',
    commentMode: commentMode === 'off' ? 'update' : commentMode,
    commentWhen,
    deleteStale,
    checkRun,
    annotations: annotate ? getAnnotationSpec(text, build) : undefined,
    commentKey:
      text['comment-key'].trim() ||
      (several ? 'images' : mode === 'measure' ? defaultCommentKey(text['head-image'], build) : ''),
    githubToken: text['github-token'],
    accept: { label: text['accept-label'].trim(), inBody: acceptInBody },
    mode,
    reports,
    images,
    history,
  }
}

/** The `images` input with its every problem added to `problems`; see images-input.ts. */
function readImages(text: ActionInputs, problems: InputProblem[]): ImageItem[] | undefined {
  const resolveBuild: ResolveBuild = (merged, found) => {
    const build = getBuildSpec(merged, found)
    const annotate = readBoolean('annotations', merged.annotations, found)
    return { build, annotations: annotate ? getAnnotationSpec(merged, build) : undefined }
  }
  try {
    return parseImagesInput(text.images, text, resolveBuild, problems)
  } catch (error) {
    if (!(error instanceof InputError)) throw error
    problems.push(...error.inputs)
    return undefined
  }
}

/** With images, the inputs that name one image belong in its item, and only measure reads it. */
function checkImagesAlone(text: ActionInputs, mode: Mode, problems: InputProblem[]): void {
  for (const name of ['head-image', 'base-image', 'context'] as const)
    if (text[name].trim())
      problems.push(
        problem(
          name,
          text[name],
          `to be empty when images is set: give each image its own ${name} in images`,
        ),
      )
  if (mode !== 'measure')
    problems.push(
      problem(
        'images',
        text.images.slice(0, 200),
        `to be empty in mode ${mode}, which reads the reports input`,
      ),
    )
}

/** history, history-branch and history-record-on; undefined when history is false. */
function readHistory(text: ActionInputs, problems: InputProblem[]): RecordSettings | undefined {
  const on = readBoolean('history', text.history, problems)
  const storeBranch = text['history-branch'].trim() || INPUTS['history-branch'].default
  const branchName = 'a branch name of letters, digits and ._/- (no "..", no trailing / or .lock)'
  if (!isPlainBranchName(storeBranch))
    problems.push(problem('history-branch', text['history-branch'], branchName))
  const recordOn = readList(text['history-record-on'])
  if (!recordOn.every(isPlainBranchName))
    problems.push(
      problem('history-record-on', text['history-record-on'], `branch names, each ${branchName}`),
    )
  else if (recordOn.includes(storeBranch))
    problems.push(
      problem(
        'history-record-on',
        text['history-record-on'],
        `branches other than history-branch (${storeBranch})`,
      ),
    )
  return on ? { storeBranch, recordOn } : undefined
}

function readMode(text: string, problems: InputProblem[]): Mode {
  const value = text.trim().toLowerCase() || 'measure'
  if ((MODES as readonly string[]).includes(value)) return value as Mode
  problems.push(problem('mode', text, MODES.join(', ')))
  return 'measure'
}

/** A list input: comma- or line-separated, blanks dropped */
function readList(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter(Boolean)
}

const COMMENT_MODES = ['update', 'recreate', 'off'] as const
const COMMENT_WHENS = ['always', 'changed', 'problems'] as const
export type CommentWhen = (typeof COMMENT_WHENS)[number]

/** One of `choices` in any case; '' is the input's default. */
function readChoice<T extends string>(
  name: ActionInputName,
  text: string,
  choices: readonly T[],
  problems: InputProblem[],
): T {
  const value = text.trim().toLowerCase() || INPUTS[name].default
  const choice = choices.find((c) => c === value)
  if (choice) return choice
  problems.push(problem(name, text, `one of ${choices.join(', ')}`))
  return choices[0]
}

/** A boolean input (kind 'boolean' in the table): true or false in any case; '' is its default. */
function readBoolean(name: BooleanInputName, text: string, problems: InputProblem[]): boolean {
  const value = text.trim().toLowerCase() || INPUTS[name].default
  if (value !== 'true' && value !== 'false') problems.push(problem(name, text, '"true" or "false"'))
  return value === 'true'
}

/** The head image's repository, without tag or digest: stable across PR builds, distinct per image. */
export function defaultCommentKey(headImage: string, build?: BuildSpec): string {
  if (!headImage.trim() && build)
    return `build:${build.dockerfile ?? `${build.context}/Dockerfile`}${build.target ? `:${build.target}` : ''}`
  const bare = headImage.replace(/^(docker:\/\/|docker-daemon:)/, '')
  const parsed = parseDockerReference(bare)
  return 'error' in parsed ? headImage : `${parsed.registry}/${parsed.repository}`
}

/** Build mode's Dockerfile, or the dockerfile input given beside the images. */
function getAnnotationSpec(text: ActionInputs, build?: BuildSpec): AnnotationSpec | undefined {
  if (build)
    return { dockerfile: dockerfilePath(build), target: build.target, buildArgs: build.buildArgs }
  const dockerfile = text.dockerfile.trim()
  if (!dockerfile) return undefined
  return { dockerfile, target: text.target.trim() || undefined, buildArgs: {} }
}

function getBuildSpec(text: ActionInputs, problems: InputProblem[]): BuildSpec | undefined {
  const context = text.context.trim()
  const buildArgs = parseBuildArgs(text['build-args'])
  if (isBuildArgsError(buildArgs))
    problems.push(problem('build-args', text['build-args'], buildArgs.error))
  const cacheFrom = readCache('cache-from', text, problems)
  const cacheTo = readCache('cache-to', text, problems)
  if (!context) {
    for (const input of ['cache-from', 'cache-to'] as const)
      if (text[input].trim())
        problems.push(problem(input, text[input], 'to be empty unless context is set (build mode)'))
    return undefined
  }
  return {
    context,
    dockerfile: text.dockerfile.trim() || undefined,
    target: text.target.trim() || undefined,
    buildArgs: isBuildArgsError(buildArgs) ? {} : buildArgs,
    network: text['build-network'].trim() || undefined,
    ...(cacheFrom.length > 0 ? { cacheFrom } : {}),
    ...(cacheTo.length > 0 ? { cacheTo } : {}),
  }
}

/** A cache input's entries; each bad one is a problem of its own. */
function readCache(input: CacheInput, text: ActionInputs, problems: InputProblem[]): CacheEntry[] {
  const parsed = parseCacheEntries(input, text[input])
  if ('problems' in parsed) problems.push(...parsed.problems)
  return 'entries' in parsed ? parsed.entries : []
}
