import type { Comparison } from '../compare/compare.js'
import type { Acceptance } from '../budget/accept.js'
import type { RuleResult } from '../budget/rules.js'
import type { Finding } from '../explain/explain.js'
import type { FileComparison } from '../model/files.js'
import type { Verdict } from '../model/verdict.js'
import type { SizePoint } from '../model/size-history.js'
import type { BuildTimes } from '../model/build-time.js'

/** One compared pair: one per platform when several are requested. */
export interface ReportEntry {
  /** `linux/arm64` when several platforms are compared; undefined for a single pair */
  label?: string
  comparison: Comparison
  rules: RuleResult[]
  verdict: Verdict
  /** Why the image grew, with fixes (explainGrowth); largest first, empty when it did not */
  findings: Finding[]
  /** What the files say (paths, waste, packages, secrets); undefined when not analysed */
  files?: FileComparison
  /** This image's (and platform's) points on the base branch, oldest first (issue 11) */
  trend?: { branch: string; points: SizePoint[] }
}

/** Everything a run found; renderers and the JSON report read only this. */
export interface Report {
  entries: ReportEntry[]
  /** The worst verdict of all entries */
  verdict: Verdict
  /** A deliberate increase claimed on the PR (label or description), accepted or refused */
  acceptance?: Acceptance
  /** How long build mode took to build each image; absent when the images were not built */
  builds?: BuildTimes
}
