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

/** One node of a layer's own tree, as dive builds it from the tar entries */
interface LayerNode {
  /** The path with the whiteout marker removed */
  path: string
  /** dive's size: the tar header size */
  size: number
  isDir: boolean
  whiteout: boolean
  hasChildren: boolean
}

/** dive's size of an entry: the tar header size, which is 0 but for regular files */
function headerSize(entry: LayerEntry): number {
  return entry.kind === 'file' ? entry.bytes : 0
}

/** A layer's tree keyed by dive's node path (a whiteout keeps its `.wh.` name). */
function buildLayerTree(entries: readonly LayerEntry[]): Map<string, LayerNode> {
  const nodes = new Map<string, LayerNode>()
  const addParents = (key: string) => {
    for (let at = parentPath(key); at !== '/'; at = parentPath(at)) {
      const parent = nodes.get(at)
      if (parent) {
        parent.hasChildren = true
        return
      }
      nodes.set(at, { path: at, size: 0, isDir: false, whiteout: false, hasChildren: true })
    }
  }
  for (const entry of entries) {
    if (entry.path === '/') continue
    if (entry.kind === 'opaque') {
      // dive never adds the marker, but creates the directories above it
      if (!nodes.has(entry.path)) {
        const node = {
          path: entry.path,
          size: 0,
          isDir: false,
          whiteout: false,
          hasChildren: false,
        }
        nodes.set(entry.path, node)
      }
      addParents(entry.path)
      continue
    }
    const whiteout = entry.kind === 'whiteout'
    const key = whiteout ? whiteoutKey(entry.path) : entry.path
    const existing = nodes.get(key)
    const node = { path: entry.path, size: headerSize(entry), isDir: entry.kind === 'directory' }
    if (existing) Object.assign(existing, node)
    else nodes.set(key, { ...node, whiteout, hasChildren: false })
    addParents(key)
  }
  return nodes
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

/** dive's stacked tree of the layers below: size and kind per path, with a children index */
class StackedTree {
  private readonly sizes = new Map<string, number>()
  private readonly dirs = new Set<string>()
  private readonly children = new Map<string, Set<string>>()

  /** dive's `Stack`: whiteouts remove, everything else is added or overwritten */
  stack(tree: Map<string, LayerNode>, keys: readonly string[], keepWhiteouts: boolean): void {
    for (const key of keys) {
      const node = tree.get(key) as LayerNode
      if (node.whiteout && !keepWhiteouts) this.remove(node.path)
      else this.set(node.whiteout ? key : node.path, node.size, node.isDir && !node.whiteout)
    }
  }

  has(path: string): boolean {
    return this.sizes.has(path)
  }

  /** What a whiteout of `path` weighs; undefined when the path is not there */
  whiteoutSize(path: string): number | undefined {
    if (!this.sizes.has(path)) return undefined
    if (!this.dirs.has(path)) return 0
    let sum = 0
    const stack = [path]
    for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
      sum += this.sizes.get(next) ?? 0
      for (const child of this.children.get(next) ?? []) stack.push(child)
    }
    return sum
  }

  private set(path: string, size: number, isDir: boolean): void {
    if (!this.sizes.has(path)) {
      const parent = parentPath(path)
      if (parent !== '/' && !this.sizes.has(parent)) this.set(parent, 0, false)
      let siblings = this.children.get(parent)
      if (!siblings) this.children.set(parent, (siblings = new Set()))
      siblings.add(path)
    }
    this.sizes.set(path, size)
    if (isDir) this.dirs.add(path)
    else this.dirs.delete(path)
  }

  private remove(path: string): void {
    if (!this.sizes.has(path)) return
    this.children.get(parentPath(path))?.delete(path)
    const stack = [path]
    for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
      this.sizes.delete(next)
      this.dirs.delete(next)
      for (const child of this.children.get(next) ?? []) stack.push(child)
      this.children.delete(next)
    }
  }
}

interface PathTally {
  cumulative: number
  /** -1 until a size is met (dive's `minDiscoveredSize`) */
  smallest: number
  copies: number
}

/** Visits one layer's leaves as dive's efficiency walk does. */
function tallyLayer(
  tree: Map<string, LayerNode>,
  keys: readonly string[],
  below: StackedTree,
  tallies: Map<string, PathTally>,
): void {
  for (const key of keys) {
    const node = tree.get(key) as LayerNode
    if (node.hasChildren) continue
    let tally = tallies.get(node.path)
    if (!tally) tallies.set(node.path, (tally = { cumulative: 0, smallest: -1, copies: 0 }))
    const size = node.whiteout ? below.whiteoutSize(node.path) : node.size
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
function needsOrder(
  entries: readonly LayerEntry[],
  tree: ReadonlyMap<string, LayerNode>,
  below: StackedTree,
): boolean {
  for (const entry of entries) {
    if (entry.kind !== 'whiteout') continue
    if (!below.has(entry.path) || tree.has(entry.path)) return true
  }
  return false
}

/** dive's four figures for an image whose layers are `layers` (bottom first). */
export function computeDiveFigures(layers: readonly LayerListing[]): DiveFigures {
  const tallies = new Map<string, PathTally>()
  const below = new StackedTree()
  let userSizeBytes = 0
  layers.forEach((listing, index) => {
    const tree = buildLayerTree(listing.entries)
    const keys = [...tree.keys()]
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
