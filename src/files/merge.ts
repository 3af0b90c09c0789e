/**
 * Applies layer listings in order into the file system a container sees (overlayfs rules):
 * whiteouts remove a path and everything below it, an opaque marker empties a directory of
 * what LOWER layers put there, a type change removes what was there (with everything below a
 * replaced directory). Every non-directory copy that is removed or overwritten is kept as a
 * `HiddenCopy`, including the files removed together with their directory (dive#684, #111).
 *
 * Hard links share one inode: its bytes are carried by one of its visible paths. Removing that
 * path hands the bytes to another link (overlay2 copy-up breaks a link this way), so a copy is
 * hidden only when no visible path reaches its inode any more.
 *
 * Memory grows with distinct paths only: one Map of visible files, one Map of directories
 * with their children, so deleting a directory costs what it holds.
 * https://github.com/opencontainers/image-spec/blob/main/layer.md#whiteouts
 */
import type { HiddenCopy, LayerEntry, LayerListing, ViewFile } from '../model/files.js'

interface Directory {
  /** The last layer that listed this directory or something below it */
  layer: number
  /** Full paths of the entries directly below */
  children: Set<string>
}

/** The merged file system of an image, and the copies it hides. */
export interface MergedLayers {
  /** Every visible non-directory path */
  view: Map<string, ViewFile>
  /** Every hidden copy, in the order they were hidden */
  hidden: HiddenCopy[]
}

/** `/a/b` → `/a`; `/a` → `/` */
export function parentPath(path: string): string {
  const at = path.lastIndexOf('/')
  return at <= 0 ? '/' : path.slice(0, at)
}

/** The visible paths of one inode (a file and its hard links, written by one layer) */
type Inode = Set<string>

class MergedTree {
  readonly view = new Map<string, ViewFile>()
  readonly hidden: HiddenCopy[] = []
  private readonly dirs = new Map<string, Directory>([['/', { layer: 0, children: new Set() }]])
  /** Visible paths that share an inode with another visible path */
  private readonly inodes = new Map<string, Inode>()

  apply(entry: LayerEntry, layer: number): void {
    if (entry.path === '/') {
      if (entry.kind === 'opaque') this.empty('/', layer)
      return
    }
    switch (entry.kind) {
      case 'whiteout':
        this.remove(entry.path, layer, 'deleted')
        return
      case 'opaque':
        this.ensureDirectory(entry.path, layer)
        this.empty(entry.path, layer)
        return
      case 'directory':
        this.ensureDirectory(entry.path, layer)
        return
      default:
        this.putFile(entry, layer)
    }
  }

  /** Makes `path` a directory of `layer` (replacing a file there), with its parents. */
  private ensureDirectory(path: string, layer: number): Directory {
    const existing = this.dirs.get(path)
    if (existing) {
      // A directory a layer writes into is that layer's too, and so are its parents (an
      // opaque marker higher up must keep them); stop where a parent already is.
      let at = path
      for (let dir = existing; dir.layer < layer;) {
        dir.layer = layer
        if (at === '/') break
        at = parentPath(at)
        const up = this.dirs.get(at)
        if (!up) break
        dir = up
      }
      return existing
    }
    const parent = this.ensureDirectory(parentPath(path), layer)
    if (this.view.has(path)) this.remove(path, layer, 'overwritten')
    const created: Directory = { layer, children: new Set() }
    this.dirs.set(path, created)
    parent.children.add(path)
    return created
  }

  private putFile(entry: LayerEntry, layer: number): void {
    const { path } = entry
    if (this.view.has(path) || this.dirs.has(path)) this.remove(path, layer, 'overwritten')
    this.ensureDirectory(parentPath(path), layer).children.add(path)
    const kind =
      entry.kind === 'directory' || entry.kind === 'whiteout' || entry.kind === 'opaque'
        ? 'other'
        : entry.kind
    // A hard link's inode is counted once, with its target
    this.view.set(path, { path, kind, bytes: kind === 'hardlink' ? 0 : entry.bytes, layer })
    if (kind === 'hardlink' && entry.target !== undefined) this.link(path, entry.target, layer)
  }

  /** `path` is a hard link to `target`, which a tar lists earlier in the same layer. */
  private link(path: string, target: string, layer: number): void {
    const file = this.view.get(target)
    if (!file || file.layer !== layer) return
    let inode = this.inodes.get(target)
    if (!inode) {
      inode = new Set([target])
      this.inodes.set(target, inode)
    }
    inode.add(path)
    this.inodes.set(path, inode)
  }

  /**
   * The bytes `file`'s copy frees when its path goes: none while another visible path shares
   * its inode (the bytes move to that path).
   */
  private unlink(file: ViewFile): number {
    const inode = this.inodes.get(file.path)
    if (!inode) return file.bytes
    this.inodes.delete(file.path)
    inode.delete(file.path)
    const heir = inode.values().next()
    if (heir.done) return file.bytes
    if (inode.size === 1) this.inodes.delete(heir.value)
    const next = this.view.get(heir.value)
    if (next && file.bytes > 0) next.bytes += file.bytes
    return 0
  }

  /** Removes `path` and everything below it; each non-directory copy becomes hidden. */
  private remove(path: string, by: number, how: HiddenCopy['how']): void {
    const parent = this.dirs.get(parentPath(path))
    parent?.children.delete(path)
    const stack = [path]
    for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
      const file = this.view.get(next)
      if (file) {
        this.view.delete(next)
        const bytes = this.unlink(file)
        this.hidden.push({ path: next, bytes, layer: file.layer, hiddenBy: by, how })
        continue
      }
      const dir = this.dirs.get(next)
      if (!dir) continue
      this.dirs.delete(next)
      for (const child of dir.children) stack.push(child)
    }
  }

  /**
   * Opaque directory: everything below `path` from lower layers goes; what `layer` itself
   * put there (before or after the marker, whatever the tar order) stays.
   */
  private empty(path: string, layer: number): void {
    const dir = this.dirs.get(path)
    if (!dir) return
    for (const child of [...dir.children]) {
      const file = this.view.get(child)
      if (file) {
        if (file.layer < layer) this.remove(child, layer, 'deleted')
        continue
      }
      const below = this.dirs.get(child)
      if (!below) continue
      if (below.layer < layer) this.remove(child, layer, 'deleted')
      else this.empty(child, layer)
    }
  }
}

/**
 * Merges `layers` (bottom first; layer numbers are 1-based positions) into the view a
 * container sees and the copies it hides, each layer's entries in tar order.
 */
export function mergeLayers(layers: readonly LayerListing[]): MergedLayers {
  const tree = new MergedTree()
  layers.forEach((listing, index) => {
    for (const entry of listing.entries) tree.apply(entry, index + 1)
  })
  return { view: tree.view, hidden: tree.hidden }
}
