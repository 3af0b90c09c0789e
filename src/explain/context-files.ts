/**
 * Build context leaks: `.git`, `node_modules`, tests, docs and CI files that a COPY or ADD from
 * the build context wrote (never `COPY --from` a stage, a root file system or a URL).
 */
import type { ImageFiles } from '../model/files.js'
import type { LeakKind } from '../model/finding.js'
import { isRootFilesystem } from './base-image.js'
import { fileScope, pathFinding, type FileScope } from './evidence.js'
import type { ExplainRule, Finding } from './types.js'

/** A COPY or ADD whose sources come from the build context */
export function copiesFromContext(instruction: string): boolean {
  const [keyword, ...words] = instruction.split(' ')
  if (keyword !== 'COPY' && keyword !== 'ADD') return false
  if (isRootFilesystem(instruction)) return false
  if (words.some((w) => w.startsWith('--from'))) return false
  const sources = words.filter((w) => !w.startsWith('--')).slice(0, -1)
  return !sources.some((s) => s.includes('://') || /^file:[0-9a-f]{8,}/.test(s))
}

/** Inside installed packages, `test/` and `docs/` are the packages' own, not the context's */
const INSIDE_PACKAGE = /\/(?:node_modules|site-packages|dist-packages|vendor)\//

const LEAKS: Array<[LeakKind, RegExp]> = [
  ['git', /(?:^|\/)\.git\//],
  ['node_modules', /\/node_modules\//],
  [
    'ci',
    /\/(?:\.github|\.circleci|\.gitlab)\/|\/(?:\.gitlab-ci\.yml|Jenkinsfile|\.travis\.yml)$|\/(?:[^/]*\.)?Dockerfile[^/]*$/,
  ],
  ['tests', /\/(?:test|tests|__tests__)\//],
  ['docs', /\/docs\//],
]

function leakOf(path: string): LeakKind | undefined {
  for (const [leak, pattern] of LEAKS) {
    if (!pattern.test(path)) continue
    if ((leak === 'tests' || leak === 'docs') && INSIDE_PACKAGE.test(path)) continue
    return leak
  }
  return undefined
}

/** Leaked paths of an image by kind, from the layers `fromContext` says copied the context. */
function leaks(image: ImageFiles, copiedContext: (layer: number) => boolean) {
  // Once per layer, not once per file: an image can hold hundreds of thousands of files
  const answers = new Map<number, boolean>()
  const fromContext = (layer: number): boolean => {
    let answer = answers.get(layer)
    if (answer === undefined) answers.set(layer, (answer = copiedContext(layer)))
    return answer
  }
  const found = new Map<LeakKind, Array<{ path: string; bytes: number; layer: number }>>()
  for (const file of image.view.values()) {
    if (!fromContext(file.layer)) continue
    const leak = leakOf(file.path)
    if (!leak) continue
    const list = found.get(leak) ?? []
    list.push({ path: file.path, bytes: file.bytes, layer: file.layer })
    found.set(leak, list)
  }
  return found
}

/**
 * Leaks new in the PR image, and those the base image has too (inBase), as two findings: a
 * `.git` the base already shipped must not hide the `node_modules` this PR adds.
 */
function leakFindings(scope: FileScope, baseSteps: Map<number, string>): Finding[] {
  const head = leaks(scope.head, (layer) => copiesFromContext(scope.instruction(layer)))
  const base = scope.base
    ? leaks(scope.base, (layer) => copiesFromContext(baseSteps.get(layer) ?? ''))
    : new Map<LeakKind, unknown[]>()
  const kinds = LEAKS.map(([leak]) => leak).filter((leak) => head.has(leak))
  const finding = (chosen: LeakKind[], inBase: boolean) => {
    const paths = chosen.flatMap((leak) => head.get(leak) ?? [])
    const byLeak = chosen
      .map((leak) => {
        const list = head.get(leak) ?? []
        return { leak, bytes: list.reduce((t, p) => t + p.bytes, 0), count: list.length }
      })
      .sort((a, b) => b.bytes - a.bytes)
    return pathFinding(scope, 'build-context-leak', paths, inBase, (files) => ({
      kind: 'context-files',
      leaks: byLeak,
      files,
    }))
  }
  return [
    ...finding(
      kinds.filter((leak) => !base.has(leak)),
      false,
    ),
    ...finding(
      kinds.filter((leak) => base.has(leak)),
      true,
    ),
  ]
}

/** A COPY or ADD from the build context wrote `.git`, `node_modules`, tests, docs or CI files. */
export const contextFiles: ExplainRule = {
  key: 'build-context-leak',
  basis: 'files',
  explain(context) {
    const scope = fileScope(context)
    if (!scope) return []
    // The base image's own positions: its steps by base position
    const baseSteps = new Map<number, string>()
    for (const row of context.comparison.layers)
      if (row.basePosition !== undefined) baseSteps.set(row.basePosition, row.baseStep ?? row.step)
    return leakFindings(scope, baseSteps)
  },
}
