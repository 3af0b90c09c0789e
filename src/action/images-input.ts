/**
 * The `images` input (issue 10): several images in one run, as a YAML list of mappings. Each item
 * has a `name` and any of the per-image inputs (IMAGE_KEYS); the step's own inputs are every
 * image's defaults. Each image's merged text goes through the same parseOptions as a single
 * image, so there is one parser of sizes, budgets and references; images-yaml.ts reads the
 * list's shape; this module merges and validates, naming each problem by its place
 * (`images[1] (api).max-size`).
 */
import { problem } from '../budget/budget.js'
import type { ActionInputName } from '../inputs-table.js'
import { parseOptions, type ParsedOptions, type RawOptions } from '../options.js'
import { InputError, inputProblemText, type InputProblem } from '../util/errors.js'
import type { BuildSpec } from '../image-build/index.js'
import { IMAGE_KEYS, readImagesInput, type RawImageItem } from './images-yaml.js'
import type { AnnotationSpec } from './inputs.js'

/** Inputs that name one image: never a default for several, so set in each item */
export const PER_IMAGE_ONLY = ['head-image', 'base-image', 'context'] as const

/** One image, validated: what the single-image run takes. */
export interface ImageItem {
  name: string
  gate: ParsedOptions
  build?: BuildSpec
  /** The Dockerfile to annotate for this image; undefined when off or unknown */
  annotations?: AnnotationSpec
}

/**
 * The item's build settings and annotations from its merged text (inputs.ts owns the readers of
 * context, dockerfile, target, build-args and annotations); problems use the inputs' own names.
 */
export type ResolveBuild = (
  merged: Record<ActionInputName, string>,
  problems: InputProblem[],
) => Pick<ImageItem, 'build' | 'annotations'>

/**
 * The images of the `images` input, each merged over the step's inputs (`top`) and validated.
 * `reported`: problems already reported for the step's own inputs (not repeated per image).
 * Throws an InputError listing every problem of every image.
 */
export function parseImagesInput(
  text: string,
  top: Record<ActionInputName, string>,
  resolveBuild: ResolveBuild,
  reported: InputProblem[] = [],
): ImageItem[] {
  const { items, problems } = readImagesInput(text)
  const seen = new Set(reported.map(inputProblemText))
  const images: ImageItem[] = []
  for (const item of items) {
    const found: InputProblem[] = []
    const merged = { ...top, ...Object.fromEntries(PER_IMAGE_ONLY.map((k) => [k, ''])) }
    Object.assign(merged, item.values)
    const built = resolveBuild(merged, found)
    const raw: RawOptions = {}
    for (const key of OPTION_KEYS) raw[key] = merged[key]
    let gate: ParsedOptions | undefined
    try {
      gate = parseOptions(raw, { headRequired: !built.build })
    } catch (error) {
      if (!(error instanceof InputError)) throw error
      found.push(...error.inputs)
    }
    if (built.build && gate?.head && gate.base)
      found.push(problem('context', built.build.context, NOTHING_TO_BUILD))
    for (const p of found) {
      // Already said of the step's own input: not again for each image.
      if (seen.has(inputProblemText(p))) continue
      const named = nameProblem(item, p)
      if (seen.has(inputProblemText(named))) continue
      seen.add(inputProblemText(named))
      problems.push(named)
    }
    if (gate && found.length === 0) images.push({ name: item.name, gate, ...built })
  }
  if (problems.length > 0) throw new InputError(problems)
  return images
}

const NOTHING_TO_BUILD =
  'to be empty when head-image and base-image are both set (nothing is left to build)'

/** The comparison's options an item may set (the rest are the step's, e.g. credentials) */
const OPTION_KEYS = [
  ...IMAGE_KEYS.filter(
    (k) => !['context', 'dockerfile', 'target', 'build-args', 'annotations'].includes(k),
  ),
  'registry',
  'registry-username',
  'registry-password',
  'insecure-registries',
] as Array<keyof RawOptions>

/**
 * A problem found in one image names its place; a value it took from the step's input says so
 * (e.g. the step's warn-size over this image's max-size).
 */
function nameProblem(item: RawImageItem, p: InputProblem): InputProblem {
  const own = p.input in item.values || (PER_IMAGE_ONLY as readonly string[]).includes(p.input)
  const from = own || !/^[a-z-]+$/.test(p.input) ? '' : ' (from the step)'
  const expected =
    p.input === 'head-image' && p.value === ''
      ? 'an image reference, or context to build the image; one of them is required'
      : p.expected
  return { ...p, input: `${item.path}.${p.input}${from}`, expected }
}
