/**
 * The rules on what the file analysis found: the PR image's waste (reclaimable bytes, and what
 * the PR added to them), dive's figures, and secret files. Each one is skipped, with its reason,
 * when the file analysis is off, and not checked (a warning) when it was on but did not run.
 */
import type { Comparison } from '../compare/compare.js'
import type { FileComparison, ImageFiles, SecretFile } from '../model/files.js'
import type { Budget } from './budget.js'
import type { FileBudget } from './file-budget.js'
import type { Measured, Rule } from './rule.js'
import type { RuleResult } from './rules.js'

/** Why there are no file figures: the user turned the analysis off, or it did not run. */
function noFiles(budget: FileBudget): { skip: string } | { unknown: string } {
  return budget.fileAnalysis === false
    ? { skip: 'the file analysis is off (file-analysis: false)' }
    : { unknown: 'the file analysis did not run, so the files are not known' }
}

/** A measure on the PR image's files */
function onHead(budget: FileBudget, figure: (head: ImageFiles) => Measured) {
  return (_c: Comparison, files: FileComparison | undefined): Measured =>
    files ? figure(files.head) : noFiles(budget)
}

export function fileRules(budget: Budget): Rule[] {
  const rules: Rule[] = []
  const add = (
    key: string,
    limit: number | undefined,
    unit: Rule['unit'],
    measure: Rule['measure'],
    atLeast?: boolean,
  ) => {
    if (limit !== undefined)
      rules.push({ key, unit, limit, breach: 'fail', measure, ...(atLeast ? { atLeast } : {}) })
  }
  add(
    'max-reclaimable',
    budget.maxReclaimableBytes,
    'bytes',
    onHead(budget, (head) => head.reclaimableBytes),
  )
  add('max-reclaimable-increase', budget.maxReclaimableIncreaseBytes, 'bytes', (c, files) => {
    if (c.noBaseline) return { skip: `no baseline: ${c.noBaseline}` }
    if (!files) return noFiles(budget)
    return files.base
      ? files.reclaimableAddedBytes
      : { unknown: "the base image's files are not known" }
  })
  add(
    'min-efficiency',
    budget.minEfficiency,
    'ratio',
    onHead(budget, (head) => head.dive.efficiency),
    true,
  )
  add(
    'max-wasted-bytes',
    budget.maxWastedBytes,
    'bytes',
    onHead(budget, (head) => head.dive.wastedBytes),
  )
  add(
    'max-wasted-user-percent',
    budget.maxWastedUserRatio,
    'ratio',
    onHead(
      budget,
      (head) =>
        head.dive.wastedUserPercent ?? {
          skip: "dive's wasted-user percent is not defined: the image has no layers above its first",
        },
    ),
  )
  return rules
}

/**
 * The `secrets` rule: every secret file the PR image stores (visible or in a hidden copy). One in
 * the PR's own layers is the budget's breach (fail, or warn); ones only in layers the base image
 * already has are a warning; none is a pass. Messages name the kinds and counts, never a path's
 * content. Undefined when the rule is off, or left at its default with the file analysis off.
 */
export function evaluateSecrets(
  budget: Budget,
  c: Comparison,
  files: FileComparison | undefined,
): RuleResult | undefined {
  const breach = budget.secrets
  if (!breach) return undefined
  const base = { key: 'secrets', unit: 'files' as const, limit: 0 }
  if (!files) {
    if (budget.secretsByDefault && budget.fileAnalysis === false) return undefined
    const why = noFiles(budget)
    if ('skip' in why) return { ...base, status: 'skip', message: `skipped: ${why.skip}` }
    return budget.secretsByDefault
      ? { ...base, status: 'skip', message: `skipped: ${why.unknown}` }
      : { ...base, status: 'warn', message: `not checked: ${why.unknown}` }
  }
  const secrets = files.head.secrets
  if (secrets.length === 0)
    return { ...base, status: 'pass', actual: 0, message: 'no secret files in the PR image' }
  const inBase = inBaseLayers(c)
  const own = secrets.filter((s) => !inBase(s))
  const already = secrets.length - own.length
  const shared = { ...base, actual: secrets.length, overshoot: secrets.length }
  if (own.length === 0) {
    return {
      ...shared,
      status: 'warn',
      message: `${count(already)} (${kinds(secrets)}), only in layers the base image already has`,
    }
  }
  const more = already > 0 ? `; ${already} more already in the base image's layers` : ''
  return {
    ...shared,
    status: breach,
    message: `${count(own.length)} in the PR's own layers (${kinds(own)})${more}`,
  }
}

/** Whether a secret sits in a layer the base image has too (the same diff ID). */
function inBaseLayers(c: Comparison): (secret: SecretFile) => boolean {
  const baseIds = new Set((c.base?.layers ?? []).map((l) => l.diffId))
  return (secret) => {
    const layer = c.head.layers[secret.layer - 1]
    return layer !== undefined && baseIds.has(layer.diffId)
  }
}

function count(n: number): string {
  return `${n} secret ${n === 1 ? 'file' : 'files'}`
}

/** The kinds, each once, in a fixed order: `env-file, private-key` */
function kinds(secrets: SecretFile[]): string {
  return [...new Set(secrets.map((s) => s.kind))].sort().join(', ')
}
