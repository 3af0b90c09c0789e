import type { Comparison } from '../compare/compare.js'
import type { Command } from './shell.js'

/**
 * One reason the image grew, with its fix. Text fields are prose with inline code between
 * backticks; text from the PR (instructions, paths, package names) appears only inside those
 * code spans, with any backticks of its own removed (see `quote`), so renderers can escape the
 * prose and the code separately.
 */
export interface Finding {
  /** The rule that found it: `build-tools-in-final-image`, … */
  key: string
  /** A short heading, e.g. "Build tools in the final image" */
  title: string
  /** 1-based head positions of the layers it points at, or base positions for removed layers */
  layers: number[]
  /**
   * Growth attributed, bytes on the comparison's basis. One layer can have several causes, so
   * the findings' bytes can add up to more than the total change.
   */
  bytes?: number
  /** What was seen, in which layers */
  detail: string
  /** What to do about it */
  fix: string
}

/** A layer of the PR image after the base image's layers, with its step and growth. */
export interface Step {
  /** 1-based position in the PR image */
  position: number
  /** Normalised instruction (untrusted) */
  instruction: string
  /** The simple commands of a RUN step; none for other steps */
  commands: Command[]
  /** Bytes it added in this PR (an added layer, or a changed one that grew); 0 otherwise */
  growth: number
  /** Its size, on the comparison's basis; undefined when not known */
  headBytes?: number
}

export interface ExplainContext {
  comparison: Comparison
  /** How many leading rows of `comparison.layers` are taken as the FROM image's */
  baseImageRows: number
  /** The PR image's layers after those, bottom first */
  steps: Step[]
}

/** A rule: a key and explain(context). Rules look only at evidence in this PR. */
export interface ExplainRule {
  key: string
  explain(context: ExplainContext): Finding[]
}
