/**
 * What the file-evidence rules share: which layers are the PR's own, each layer's step, and
 * one shape for a finding made of paths (top 20, exact total over all of them).
 */
import type { FileComparison, ImageFiles } from '../model/files.js'
import type { Evidence, EvidencePath, FileSet, Finding, LayerShare } from '../model/finding.js'
import type { ExplainContext } from './types.js'

/** How many evidence paths a finding lists */
export const MAX_PATHS = 20

/** The file analysis as the rules read it */
export interface FileScope {
  files: FileComparison
  head: ImageFiles
  base?: ImageFiles
  /** Whether the PR's own layers wrote this layer (not one it shares with the base image) */
  isPrLayer(layer: number): boolean
  /** The layer's normalised instruction; '' when not known */
  instruction(layer: number): string
}

/** The file scope of a context; undefined without the file analysis. */
export function fileScope(context: ExplainContext): FileScope | undefined {
  const files = context.files
  if (!files) return undefined
  const rows = context.comparison.layers
  const steps = new Map<number, string>()
  const shared = new Set<number>()
  for (const row of rows) {
    if (row.headPosition === undefined) continue
    steps.set(row.headPosition, row.step)
    // Without a baseline every layer is the PR's
    if (context.comparison.base && row.change === 'unchanged') shared.add(row.headPosition)
  }
  return {
    files,
    head: files.head,
    base: files.base,
    isPrLayer: (layer) => !shared.has(layer),
    instruction: (layer) => steps.get(layer) ?? '',
  }
}

const sum = (paths: Array<{ bytes: number }>) => paths.reduce((total, p) => total + p.bytes, 0)

/** Largest first, then by path, so the order never depends on the map's. */
export function largestFirst<T extends { bytes: number; path: string }>(paths: T[]): T[] {
  return [...paths].sort((a, b) => b.bytes - a.bytes || (a.path < b.path ? -1 : 1))
}

/** Every evidence path, counted by the layer that wrote it. */
export function fileSet(scope: FileScope, paths: EvidencePath[]): FileSet {
  const byLayer = new Map<number, LayerShare>()
  for (const p of paths) {
    const share = byLayer.get(p.layer) ?? {
      layer: p.layer,
      instruction: scope.instruction(p.layer),
      bytes: 0,
      count: 0,
    }
    share.bytes += p.bytes
    share.count++
    byLayer.set(p.layer, share)
  }
  return {
    count: paths.length,
    bytes: sum(paths),
    layers: [...byLayer.values()].sort((a, b) => a.layer - b.layer),
  }
}

/**
 * A finding made of paths. `inBase`: the base image already has the same cause; then only the
 * bytes the PR's own layers wrote count. Nothing when there are no paths.
 */
export function pathFinding(
  scope: FileScope,
  key: string,
  paths: EvidencePath[],
  inBase: boolean,
  evidence: (files: FileSet) => Evidence,
): Finding[] {
  if (paths.length === 0) return []
  const files = fileSet(scope, paths)
  const counted = inBase ? paths.filter((p) => scope.isPrLayer(p.layer)) : paths
  return [
    {
      key,
      layers: files.layers.map((l) => l.layer),
      bytes: sum(counted),
      evidence: evidence(files),
      ...(inBase ? { inBase } : {}),
      paths: largestFirst(paths)
        .slice(0, MAX_PATHS)
        .map(({ path, bytes, layer }) => ({ path, bytes, layer })),
    },
  ]
}
