import type { Comparison } from '../compare/compare.js'
import type { FileComparison } from '../model/files.js'
import type { Finding } from '../model/finding.js'
import type { Command } from './shell.js'

/** One reason the image grew, as data (layers, commands, bytes); renderers word it. */
export type { Finding } from '../model/finding.js'

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
  /** What the files of both images say; undefined without the file analysis */
  files?: FileComparison
}

/**
 * A rule: a key and explain(context). Step rules look only at layers this PR added or grew;
 * file rules look at the whole PR image and mark what the base image already had (`inBase`).
 */
export interface ExplainRule {
  key: string
  /**
   * What it reads. `files`: the file analysis; it runs only with one. `steps`: the
   * instructions, a guess; its findings are marked as hints, and it runs only without the file
   * analysis (evidence wins). Unset: layer sizes alone; it always runs.
   */
  basis?: 'files' | 'steps'
  /** A step rule that still runs with the file analysis: it leaves out itself the causes the files cover */
  withFiles?: boolean
  /** Runs even when the image did not grow (a security finding) */
  always?: boolean
  explain(context: ExplainContext): Finding[]
}
