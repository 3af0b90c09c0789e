/**
 * Files written and then deleted or overwritten by a later layer: the exact bytes of the
 * copies the image stores but no container sees, by the layer that stored them and the one
 * that hid them.
 */
import type { HiddenCopy } from '../model/files.js'
import type { Evidence, Finding } from '../model/finding.js'
import { METADATA_COMMANDS } from './copy-up.js'
import { fileSet, largestFirst, MAX_PATHS, type FileScope, fileScope } from './evidence.js'
import { shellCommands } from './shell.js'
import type { ExplainRule } from './types.js'

/** Hidden bytes worth a finding: 100 kB (a few rewrites of dpkg's status file are not) */
const MIN_HIDDEN_BYTES = 100_000

type Group = Extract<Evidence, { kind: 'hidden-copies' }>['groups'][number]

function isCopyUp(instruction: string): boolean {
  const commands = shellCommands(instruction)
  return commands.length > 0 && commands.every((c) => METADATA_COMMANDS.has(c.words[0] ?? ''))
}

function groupsOf(scope: FileScope, copies: HiddenCopy[]): Group[] {
  const byPair = new Map<string, HiddenCopy[]>()
  for (const copy of copies) {
    const key = `${copy.layer}:${copy.hiddenBy}`
    const group = byPair.get(key)
    if (group) group.push(copy)
    else byPair.set(key, [copy])
  }
  return [...byPair.values()]
    .map((group): Group => {
      const [stored] = fileSet(scope, group).layers
      const hiddenBy = group[0].hiddenBy
      const instruction = scope.instruction(hiddenBy)
      return {
        stored,
        hiddenBy: { layer: hiddenBy, instruction },
        deletedBytes: group.filter((c) => c.how === 'deleted').reduce((t, c) => t + c.bytes, 0),
        copyUp: isCopyUp(instruction),
      }
    })
    .sort((a, b) => b.stored.bytes - a.stored.bytes || a.stored.layer - b.stored.layer)
}

function hiddenFinding(scope: FileScope, copies: HiddenCopy[], inBase: boolean): Finding[] {
  const bytes = copies.reduce((total, c) => total + c.bytes, 0)
  if (bytes < MIN_HIDDEN_BYTES) return []
  const groups = groupsOf(scope, copies)
  const layers = new Set(groups.flatMap((g) => [g.stored.layer, g.hiddenBy.layer]))
  return [
    {
      key: 'deleted-in-later-layer',
      layers: [...layers].sort((a, b) => a - b),
      // Copies the base image hides too are its own: none of their bytes are the PR's
      bytes: inBase ? 0 : bytes,
      evidence: { kind: 'hidden-copies', groups, count: copies.length, bytes },
      ...(inBase ? { inBase } : {}),
      paths: largestFirst(copies)
        .slice(0, MAX_PATHS)
        .map(({ path, bytes: b, layer }) => ({ path, bytes: b, layer })),
    },
  ]
}

/** The PR image stores copies a later layer deleted or overwrote. */
export const hiddenFiles: ExplainRule = {
  key: 'deleted-in-later-layer',
  basis: 'files',
  explain(context) {
    const scope = fileScope(context)
    if (!scope) return []
    // The PR's: a copy its own layers stored or hid (FileComparison.reclaimableAddedBytes)
    const isPr = (c: HiddenCopy) => scope.isPrLayer(c.layer) || scope.isPrLayer(c.hiddenBy)
    return [
      ...hiddenFinding(scope, scope.head.hidden.filter(isPr), false),
      ...hiddenFinding(
        scope,
        scope.head.hidden.filter((c) => !isPr(c)),
        true,
      ),
    ]
  },
}
