import { installedPackages, isInstall, usesManager } from './packages.js'
import {
  commandText,
  packageCommand,
  packageCommands,
  packageName,
  type Command,
  type Manager,
} from './shell.js'
import type { ExplainRule, Finding, Step } from './types.js'
import { layerFinding, positionsOf, totalGrowth } from './text.js'

/** A whole-context COPY worth a finding grew by more than 1 MB. */
const BROAD_COPY_BYTES = 1_000_000

/** `COPY . /app`, `ADD --chown=app . .`: the whole build context (never `--from` a stage). */
export function copiesWholeContext(instruction: string): boolean {
  const [keyword, ...words] = instruction.split(' ')
  if (keyword !== 'COPY' && keyword !== 'ADD') return false
  if (words.some((w) => w.startsWith('--from'))) return false
  const operands = words.filter((w) => !w.startsWith('--'))
  return operands.slice(0, -1).some((source) => source === '.' || source === './')
}

/** An added or grown `COPY . <dir>` brought in more than 1 MB. */
export const broadCopy: ExplainRule = {
  key: 'broad-copy',
  basis: 'steps',
  explain({ steps }) {
    const hits = steps
      .filter((s) => s.growth > BROAD_COPY_BYTES && copiesWholeContext(s.instruction))
      .map((step) => ({ step, seen: step.instruction }))
    return layerFinding('broad-copy', hits, (h) => ({ kind: 'broad-copy', hits: h }))
  },
}

/** A removal a later RUN makes: paths, a manager's cleanup, or named packages. */
interface Removal {
  command: Command
  paths: string[]
  /** `apt-get clean`, `yum clean all`, `npm cache clean`: whatever that manager wrote */
  managers: Manager[]
  packages: Array<{ manager: Manager; name: string }>
}

/** Cache directories, by the manager that fills them. */
const CACHE_DIRS: Array<[RegExp, Manager]> = [
  [/^\/var\/(?:lib\/apt\/lists|cache\/apt)(?:\/|$)/, 'apt'],
  [/^\/var\/cache\/apk(?:\/|$)/, 'apk'],
  [/\.cache\/pip(?:\/|$)/, 'pip'],
  [/(?:^|\/)\.npm(?:\/|$)/, 'npm'],
  [/\.cache\/yarn(?:\/|$)/, 'yarn'],
  [/^\/var\/cache\/yum(?:\/|$)/, 'yum'],
  [/^\/var\/cache\/dnf(?:\/|$)/, 'dnf'],
]
const CLEANS = new Set(['clean', 'autoclean', 'cache', 'prune'])
const REMOVES = new Set(['purge', 'remove', 'erase', 'del', 'uninstall'])

function removalOf(command: Command): Removal | undefined {
  if (command.words[0] === 'rm') {
    // Only words that are paths (`/var/cache/x`, `./build`), not `rm x` of a relative name
    const paths = command.words
      .slice(1)
      .filter((w) => !w.startsWith('-') && w.includes('/') && pathStem(w).length > 1)
    return paths.length ? { command, paths, managers: [], packages: [] } : undefined
  }
  const p = packageCommand(command)
  if (!p || p.manager === 'bundle') return undefined
  if (CLEANS.has(p.action) || p.action === 'autoremove')
    return { command, paths: [], managers: [p.manager], packages: [] }
  if (!REMOVES.has(p.action)) return undefined
  const names = p.operands.filter((o) => !o.includes('$')).map(packageName)
  const packages = names.map((name) => ({ manager: p.manager, name }))
  return packages.length ? { command, paths: [], managers: [], packages } : undefined
}

/** The path up to its first glob, without a trailing slash: `/var/lib/apt/lists/*` → `…/lists`. */
function pathStem(path: string): string {
  return path.replace(/[*?[].*$/, '').replace(/\/+$/, '')
}

function mentionsPath(instruction: string, path: string): boolean {
  const stem = pathStem(path).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return new RegExp(`(?:^|[\\s"'=:>])${stem}(?=$|[\\s/"'*;&|)])`).test(instruction)
}

/** The earlier step wrote what the removal deletes: same path, or same package manager. */
function wrote(creator: Step, removal: Removal): boolean {
  const byPath = removal.paths.some(
    (path) =>
      mentionsPath(creator.instruction, path) ||
      CACHE_DIRS.some(([dir, m]) => dir.test(path) && usesManager(creator.commands, m)),
  )
  const byManager = removal.managers.some((m) => usesManager(creator.commands, m))
  const installed = packageCommands(creator.commands).filter(isInstall)
  const byPackage = removal.packages.some(({ manager, name }) =>
    installed.some((p) => p.manager === manager && installedPackages(p).includes(name)),
  )
  return byPath || byManager || byPackage
}

/** A creator worth a finding added at least 100 kB, ten times the deleting layer's size. */
const CREATOR_BYTES = 100_000
const SMALLNESS = 10
interface Pair {
  creators: Step[]
  deleter: Step
  removal: Removal
}

function pairsOf(steps: Step[]): Pair[] {
  return steps.flatMap((deleter, index) => {
    const removals = deleter.commands.flatMap((c) => removalOf(c) ?? [])
    if (removals.length === 0 || deleter.headBytes === undefined) return []
    const candidates = steps
      .slice(0, index)
      .filter((s) => s.growth >= CREATOR_BYTES && s.growth > SMALLNESS * (deleter.headBytes ?? 0))
    return removals.flatMap((removal) => {
      const creators = candidates.filter((creator) => wrote(creator, removal))
      return creators.length ? [{ creators, deleter, removal }] : []
    })
  })
}

/** A small later RUN deletes what an earlier, large, added or grown layer wrote. */
export const deletedInLaterLayer: ExplainRule = {
  key: 'deleted-in-later-layer',
  basis: 'steps',
  explain({ steps }): Finding[] {
    const pairs = pairsOf(steps)
    if (pairs.length === 0) return []
    const creators = pairs.flatMap((p) => p.creators)
    return [
      {
        key: 'deleted-in-later-layer',
        layers: positionsOf([...creators, ...pairs.map((p) => p.deleter)]),
        bytes: totalGrowth(creators),
        evidence: {
          kind: 'deleted-in-later-layer',
          deletions: pairs.map((p) => ({
            layer: p.deleter.position,
            command: commandText(p.removal.command),
            creators: positionsOf(p.creators),
            creatorBytes: totalGrowth(p.creators),
          })),
        },
      },
    ]
  },
}
