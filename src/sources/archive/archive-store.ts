/**
 * What one pass over an image archive kept of each entry: parsed JSON, layer stats, or why the
 * entry is of no use. Links (legacy docker save writes duplicate layers as symlinks to the first
 * copy) are followed on lookup, so the order of entries never matters.
 */
import { UserError } from '../../util/errors.js'
import type { LayerStats } from '../layers/layer-content.js'
import type { BlobSource, JsonDocument } from './types.js'

export type StoredEntry =
  | { kind: 'layer'; stats: LayerStats }
  | { kind: 'json'; value: unknown; digest: string }
  /** Oversized or malformed JSON, a corrupt layer, or data that is neither */
  | { kind: 'unusable'; reason: string }

/** Link chains longer than this are taken for a loop */
const MAX_LINK_HOPS = 16

export class ArchiveStore implements BlobSource {
  private readonly files = new Map<string, StoredEntry>()
  private readonly links = new Map<string, string>()

  constructor(readonly label: string) {}

  addFile(path: string, entry: StoredEntry): void {
    this.files.set(path, entry)
  }

  addLink(path: string, target: string): void {
    this.links.set(path, target)
  }

  private lookup(path: string): StoredEntry | undefined {
    let current = path
    for (let hop = 0; hop <= MAX_LINK_HOPS; hop++) {
      const file = this.files.get(current)
      if (file !== undefined) return file
      const target = this.links.get(current)
      if (target === undefined) return undefined
      current = target
    }
    return { kind: 'unusable', reason: `links from ${path} go round in a loop` }
  }

  private require(path: string, purpose: string): StoredEntry {
    const entry = this.lookup(path)
    if (entry === undefined) throw new UserError(`${this.label} has no ${path} (${purpose})`)
    return entry
  }

  async has(path: string): Promise<boolean> {
    return this.lookup(path) !== undefined
  }

  async readJson(path: string, purpose: string): Promise<JsonDocument> {
    const entry = this.require(path, purpose)
    if (entry.kind === 'json') return { value: entry.value, digest: entry.digest }
    const reason = entry.kind === 'layer' ? `${path} is a layer, not JSON` : entry.reason
    throw new UserError(`${this.label}: ${purpose}: ${reason}`)
  }

  async measure(path: string, purpose: string): Promise<LayerStats> {
    const entry = this.require(path, purpose)
    if (entry.kind === 'layer') return entry.stats
    const reason = entry.kind === 'json' ? `${path} is JSON, not a layer` : entry.reason
    throw new UserError(`${this.label}: ${purpose}: ${reason}`)
  }
}
