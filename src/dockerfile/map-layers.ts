import { normaliseInstruction } from '../model/instruction.js'
import type { ExpectedStep } from './final-stage.js'
import type { DockerfileInstruction } from './parse-dockerfile.js'

/** The Dockerfile instruction of a layer of the image, and whether its text matched in full. */
export interface LayerSource {
  /** 1-based position of the layer in the image, bottom first */
  layer: number
  instruction: DockerfileInstruction
}

/** Flags and white space aside, as both builders record a step */
const compact = (text: string) =>
  text
    .split(/\s+/)
    .filter((word) => word && !/^--[A-Za-z-]+(=\S*)?$/.test(word))
    .join(' ')

/** The classic builder's `COPY file in /app/` (the hash already cut by normaliseInstruction) */
const CLASSIC_COPY = /^(COPY|ADD) (?:file|dir|multi) in (.*)$/

type Match = 'full' | 'weak' | 'none'

function matchStep(expected: ExpectedStep, step: string): Match {
  if (!expected.text) return 'none'
  const seen = compact(step)
  if (compact(normaliseInstruction(expected.text)) === seen) return 'full'
  const classic = CLASSIC_COPY.exec(seen)
  if (expected.weak && classic && `${classic[1]} in ${classic[2]}` === compact(expected.weak))
    return 'weak'
  return 'none'
}

/**
 * Maps the image's layers to the instructions that made them, from the top of the image down
 * and from the end of the Dockerfile up, in step: each layer must be the next instruction that
 * makes one. The first layer that is not stops the mapping, and so does the start of the
 * final image's instructions (the layers below are the FROM image's). A layer matched only by
 * its destination (the classic builder's COPY) counts only when a layer below it matched in
 * full: nothing is guessed.
 *
 * `steps`: the image's layers' build steps (history `created_by`), bottom first.
 */
export function mapLayersToDockerfile(steps: string[], expected: ExpectedStep[]): LayerSource[] {
  const found: Array<LayerSource & { full: boolean }> = []
  let next = expected.length - 1
  for (let layer = steps.length; layer >= 1;) {
    while (next >= 0 && expected[next].kind === 'none') next--
    if (next < 0) break
    const want = expected[next]
    if (want.kind === 'unknown') break
    const match = matchStep(want, normaliseInstruction(steps[layer - 1]))
    if (match !== 'none') {
      found.push({ layer, instruction: want.instruction, full: match === 'full' })
      next--
      layer--
    } else if (want.kind === 'maybe') {
      next-- // a WORKDIR that made no layer: the same layer is tried against the one before
    } else break
  }
  const lowestFull = found.findLastIndex((f) => f.full)
  return found.slice(0, lowestFull + 1).map(({ layer, instruction }) => ({ layer, instruction }))
}
