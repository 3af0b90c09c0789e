import type { ImageInfo, Layer, SizeBasis } from '../model/image.js'
import { normaliseInstruction } from '../model/instruction.js'
import { alignLayers, type AlignItem, type LayerChange } from './align.js'

export interface LayerDiff {
  change: LayerChange
  /** 1-based position in each image */
  basePosition?: number
  headPosition?: number
  /** Build step, from the head layer when there is one (untrusted text) */
  instruction: string
  /** That step normalised (model/instruction.ts): what alignment, explain and renderers read */
  step: string
  /** The base layer's normalised step, for rows that have a base layer */
  baseStep?: string
  diffId: string
  /** Sizes on the comparison's basis; undefined where the source could not tell */
  baseBytes?: number
  headBytes?: number
  deltaBytes?: number
}

/** Totals on one basis. Absent figures mean "not known", never zero. */
export interface Totals {
  baseBytes?: number
  headBytes?: number
  deltaBytes?: number
  /** deltaBytes / baseBytes × 100 */
  deltaPercent?: number
}

export interface Comparison {
  basis: SizeBasis
  base?: ImageInfo
  head: ImageInfo
  /** Why there is no baseline (first PR adding the Dockerfile, base build failed, …) */
  noBaseline?: string
  /** Lines that explain `noBaseline`, e.g. the end of the base build's log (untrusted) */
  noBaselineLog?: string[]
  layers: LayerDiff[]
  totals: Totals
  /**
   * Compressed (pull) figures, when both images have them: the bytes a fresh host pulls, and
   * `newBytes`, what a host that already has the base image must still download.
   */
  pull?: Totals & { newBytes?: number }
  /** Why a figure is missing, or other caveats, in words */
  notes: string[]
}

export interface CompareOptions {
  basis: SizeBasis
  /** Set when there is no base image; the comparison then has no baseline */
  noBaseline?: string
  noBaselineLog?: string[]
}

export function compareImages(
  base: ImageInfo | undefined,
  head: ImageInfo,
  options: CompareOptions,
): Comparison {
  const size = (layer: Layer | undefined) => (layer ? bytesOn(layer, options.basis) : undefined)
  const baseLayers = base?.layers ?? []
  // Each layer's step is normalised here, once; every later stage reads it from the row.
  const baseItems = baseLayers.map(alignItem)
  const headItems = head.layers.map(alignItem)
  const layers = alignLayers(baseItems, headItems).map((row): LayerDiff => {
    const b = row.baseIndex === undefined ? undefined : baseLayers[row.baseIndex]
    const h = row.headIndex === undefined ? undefined : head.layers[row.headIndex]
    const baseStep = row.baseIndex === undefined ? undefined : baseItems[row.baseIndex].step
    const headStep = row.headIndex === undefined ? undefined : headItems[row.headIndex].step
    const baseBytes = b ? size(b) : 0
    const headBytes = h ? size(h) : 0
    return {
      change: row.change,
      basePosition: row.baseIndex === undefined ? undefined : row.baseIndex + 1,
      headPosition: row.headIndex === undefined ? undefined : row.headIndex + 1,
      instruction: (h ?? b)?.instruction ?? '',
      step: headStep ?? baseStep ?? '',
      baseStep,
      diffId: (h ?? b)?.diffId ?? '',
      baseBytes: b ? baseBytes : undefined,
      headBytes: h ? headBytes : undefined,
      deltaBytes: subtract(headBytes, baseBytes),
    }
  })
  const notes: string[] = []
  const headTotal = sumOn(head.layers, options.basis)
  const baseTotal = base ? sumOn(base.layers, options.basis) : undefined
  if (headTotal === undefined)
    notes.push(`${options.basis} sizes are not known for ${head.reference}`)
  if (base && baseTotal === undefined) {
    notes.push(`${options.basis} sizes are not known for ${base.reference}`)
  }
  return {
    basis: options.basis,
    base,
    head,
    noBaseline: base ? undefined : (options.noBaseline ?? 'no base image'),
    noBaselineLog: base ? undefined : options.noBaselineLog,
    layers,
    totals: totals(base ? baseTotal : undefined, headTotal),
    pull: pullFigures(base, head),
    notes: [...notes, ...(base?.notes ?? []), ...head.notes],
  }
}

/**
 * Whether a row is news for a reviewer: added, removed, or changed in size. A step rebuilt
 * with new content of the same size (a RUN re-run, a COPY of other bytes) is not: renderers
 * fold it with the unchanged layers, so an edited step in the middle is one row.
 */
export function isNotable(layer: LayerDiff): boolean {
  return layer.change !== 'unchanged' && !isRebuiltSameSize(layer)
}

export function isRebuiltSameSize(layer: LayerDiff): boolean {
  return layer.change === 'changed' && layer.deltaBytes === 0
}

function alignItem(layer: Layer): AlignItem {
  return { diffId: layer.diffId, step: normaliseInstruction(layer.instruction) }
}

export function bytesOn(layer: Layer, basis: SizeBasis): number | undefined {
  return basis === 'compressed' ? layer.compressedBytes : layer.uncompressedBytes
}

/** Sum of the layers on a basis; undefined as soon as one layer's figure is unknown. */
export function sumOn(layers: Layer[], basis: SizeBasis): number | undefined {
  let total = 0
  for (const layer of layers) {
    const bytes = bytesOn(layer, basis)
    if (bytes === undefined) return undefined
    total += bytes
  }
  return total
}

function subtract(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined ? undefined : a - b
}

function totals(baseBytes: number | undefined, headBytes: number | undefined): Totals {
  const deltaBytes = subtract(headBytes, baseBytes)
  const deltaPercent =
    deltaBytes === undefined || !baseBytes ? undefined : (deltaBytes / baseBytes) * 100
  return { baseBytes, headBytes, deltaBytes, deltaPercent }
}

function pullFigures(base: ImageInfo | undefined, head: ImageInfo): Comparison['pull'] {
  const headBytes = sumOn(head.layers, 'compressed')
  const baseBytes = base ? sumOn(base.layers, 'compressed') : undefined
  if (headBytes === undefined && baseBytes === undefined) return undefined
  // "New" is only defined against a base whose blobs are known.
  if (!base || headBytes === undefined || baseBytes === undefined)
    return totals(base ? baseBytes : undefined, headBytes)
  const have = new Set(base.layers.flatMap((layer) => (layer.digest ? [layer.digest] : [])))
  const seen = new Set<string>()
  let newBytes = 0
  for (const layer of head.layers) {
    const key = layer.digest ?? layer.diffId
    if ((layer.digest && have.has(layer.digest)) || seen.has(key)) continue
    seen.add(key)
    newBytes += layer.compressedBytes ?? 0
  }
  return { ...totals(baseBytes, headBytes), newBytes }
}
