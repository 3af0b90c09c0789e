/**
 * dive's efficiency, wasted bytes, user size and wasted-user percent, computed the way dive
 * computes them (github.com/wagoodman/dive, dive/filetree/efficiency.go and
 * dive/image/analysis.go), for users whose CI rules hold dive's numbers. This is a
 * re-derivation of dive's rules, not a port, and it keeps dive's quirks on purpose:
 * - sizes are tar header sizes: regular files only (symlink and hard-link headers carry 0);
 * - per layer, only the leaves of that layer's own tree count (a directory with entries
 *   below it in the same layer does not);
 * - a path met in two or more layers wastes the sum of ALL its copies, the visible one too;
 * - a whiteout of a directory counts what the layers below held under it, a whiteout of a
 *   file counts 0 (the file's lower copy already counts) and a directory removed with its
 *   files is not waste unless its own path was met twice (dive#684, #111);
 * - a whiteout of a path the layers below do not hold stops dive's walk of that layer (the
 *   rest of that layer's leaves, in dive's name order, are not counted) and leaves a path
 *   whose smallest size is -1;
 * - opaque markers are ignored.
 * The correct figures are the merge's hidden copies; these exist for comparison with dive.
 */
import type { DiveFigures, LayerEntry, LayerListing } from '../model/files.js'
import { parentPath } from './merge.js'

const WHITEOUT_PREFIX = '.wh.'

/** dive's size of an entry: the tar header size, which is 0 but for regular files */
function headerSize(entry: LayerEntry): number {
  return entry.kind === 'file' ? entry.bytes : 0
}

/**
 * A layer's own tree as dive builds it: node key (a whiteout keeps its `.wh.` name) → index
 * of the entry that gave it, or -1 for a directory only implied by paths below it; and the
 * keys that have nodes below them. Indexes, not objects: this is built for every entry.
 */
interface LayerTree {
  entries: readonly LayerEntry[]
  nodes: Map<string, number>
  parents: Set<string>
}

/** The entry that gave node `key`; undefined for an implied directory */
function entryOf(tree: LayerTree, key: string): LayerEntry | undefined {
  const index = tree.nodes.get(key) ?? -1
  return index < 0 ? undefined : tree.entries[index]
}

function buildLayerTree(entries: readonly LayerEntry[]): LayerTree {
  const nodes = new Map<string, number>()
  const parents = new Set<string>()
  const addParents = (key: string) => {
    for (let at = parentPath(key); at !== '/' && !parents.has(at); at = parentPath(at)) {
      parents.add(at)
      if (!nodes.has(at)) nodes.set(at, -1)
    }
  }
  entries.forEach((entry, index) => {
    if (entry.path === '/') return
    if (entry.kind === 'opaque') {
      // dive never adds the marker, but creates the directories above it
      if (!nodes.has(entry.path)) nodes.set(entry.path, -1)
      addParents(entry.path)
      return
    }
    const key = entry.kind === 'whiteout' ? whiteoutKey(entry.path) : entry.path
    nodes.set(key, index)
    addParents(key)
  })
  return { entries, nodes, parents }
}

function whiteoutKey(path: string): string {
  const dir = parentPath(path)
  const name = path.slice(path.lastIndexOf('/') + 1)
  return `${dir === '/' ? '' : dir}/${WHITEOUT_PREFIX}${name}`
}

/**
 * dive's walk order: depth first, children before their parent, siblings by name (byte order,
 * so `/a/x` comes before `/a-b`).
 */
export function compareChildFirst(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i)
    const cb = b.charCodeAt(i)
    if (ca === cb) continue
    if (ca === 47) return -1
    if (cb === 47) return 1
    return ca - cb
  }
  if (a.length === b.length) return 0
  // one is a prefix of the other: a descendant comes before its ancestor
  if (a.length > b.length) return a.charCodeAt(n) === 47 ? -1 : 1
  return b.charCodeAt(n) === 47 ? 1 : -1
}

/**
 * dive's stacked tree of the layers below: per path its size, or `-1 - size` for a directory,
 * with a children index so a directory's whiteout costs what it holds.
 */
class StackedTree {
  private readonly sizes = new Map<string, number>()
  private readonly children = new Map<string, Set<string>>()

  /** dive's `Stack`: whiteouts remove, everything else is added or overwritten */
  stack(tree: LayerTree, keys: readonly string[], keepWhiteouts: boolean): void {
    for (const key of keys) {
      const entry = entryOf(tree, key)
      if (entry === undefined) this.set(key, 0)
      else if (entry.kind !== 'whiteout') {
        const size = headerSize(entry)
        this.set(entry.path, entry.kind === 'directory' ? -1 - size : size)
      } else if (keepWhiteouts) this.set(key, 0)
      else this.remove(entry.path)
    }
  }

  has(path: string): boolean {
    return this.sizes.has(path)
  }

  /** What a whiteout of `path` weighs; undefined when the path is not there */
  whiteoutSize(path: string): number | undefined {
    const own = this.sizes.get(path)
    if (own === undefined) return undefined
    if (own >= 0) return 0
    let sum = 0
    const stack = [path]
    for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
      const size = this.sizes.get(next) ?? 0
      sum += size < 0 ? -1 - size : size
      for (const child of this.children.get(next) ?? []) stack.push(child)
    }
    return sum
  }

  private set(path: string, value: number): void {
    if (!this.sizes.has(path)) {
      const parent = parentPath(path)
      if (parent !== '/' && !this.sizes.has(parent)) this.set(parent, 0)
      let siblings = this.children.get(parent)
      if (!siblings) this.children.set(parent, (siblings = new Set()))
      siblings.add(path)
    }
    this.sizes.set(path, value)
  }

  private remove(path: string): void {
    if (!this.sizes.has(path)) return
    this.children.get(parentPath(path))?.delete(path)
    const stack = [path]
    for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
      this.sizes.delete(next)
      for (const child of this.children.get(next) ?? []) stack.push(child)
      this.children.delete(next)
    }
  }
}

/** A path met more than once, or stopped at (dive's `EfficiencyData`) */
interface PathTally {
  cumulative: number
  /** -1 until a size is met (dive's `minDiscoveredSize`) */
  smallest: number
  copies: number
}

/**
 * Visits one layer's leaves as dive's efficiency walk does. A path met once is kept as its
 * size alone (a number); a tally object only where a second copy or a stop needs one.
 */
function tallyLayer(
  tree: LayerTree,
  keys: readonly string[],
  below: StackedTree,
  tallies: Map<string, number | PathTally>,
): void {
  for (const key of keys) {
    if (tree.parents.has(key)) continue
    const entry = entryOf(tree, key)
    const path = entry?.path ?? key
    const size =
      entry === undefined
        ? 0
        : entry.kind === 'whiteout'
          ? below.whiteoutSize(path)
          : headerSize(entry)
    const seen = tallies.get(path)
    if (seen === undefined && size !== undefined) {
      tallies.set(path, size)
      continue
    }
    let tally: PathTally
    if (typeof seen === 'object') tally = seen
    else {
      tally =
        seen === undefined
          ? { cumulative: 0, smallest: -1, copies: 0 }
          : { cumulative: seen, smallest: seen, copies: 1 }
      tallies.set(path, tally)
    }
    if (size === undefined) return
    tally.cumulative += size
    if (tally.smallest < 0 || size < tally.smallest) tally.smallest = size
    tally.copies++
  }
}

/**
 * Whether dive's walk order changes the result for this layer: only a whiteout can make it
 * matter, when the path is missing below (the walk stops there) or the layer also writes at
 * or below it (stacking order). Sorting is skipped otherwise.
 */
function needsOrder(entries: readonly LayerEntry[], tree: LayerTree, below: StackedTree): boolean {
  for (const entry of entries) {
    if (entry.kind !== 'whiteout') continue
    if (!below.has(entry.path) || tree.nodes.has(entry.path)) return true
  }
  return false
}

/** dive's four figures for an image whose layers are `layers` (bottom first). */
export function computeDiveFigures(layers: readonly LayerListing[]): DiveFigures {
  const tallies = new Map<string, number | PathTally>()
  const below = new StackedTree()
  let userSizeBytes = 0
  layers.forEach((listing, index) => {
    const tree = buildLayerTree(listing.entries)
    const keys = [...tree.nodes.keys()]
    if (needsOrder(listing.entries, tree, below)) keys.sort(compareChildFirst)
    // dive stacks the first layer onto a copy of itself, its whiteout nodes kept as nodes
    if (index === 0) below.stack(tree, keys, true)
    tallyLayer(tree, keys, below, tallies)
    below.stack(tree, keys, false)
    if (index > 0) for (const entry of listing.entries) userSizeBytes += headerSize(entry)
  })
  let smallest = 0
  let cumulative = 0
  let wastedBytes = 0
  for (const tally of tallies.values()) {
    if (typeof tally === 'number') {
      smallest += tally
      cumulative += tally
      continue
    }
    smallest += tally.smallest
    cumulative += tally.cumulative
    if (tally.copies >= 2) wastedBytes += tally.cumulative
  }
  return {
    efficiency: cumulative === 0 ? 1 : smallest / cumulative,
    wastedBytes,
    userSizeBytes,
    wastedUserPercent: userSizeBytes === 0 ? null : wastedBytes / userSizeBytes,
  }
}
