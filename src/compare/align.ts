/** What alignment looks at in a layer: its diff ID and its normalised step. */
export interface AlignItem {
  diffId: string
  /** The normalised instruction (model/instruction.ts) */
  step: string
}

export type LayerChange = 'unchanged' | 'changed' | 'added' | 'removed'

/** One row of the layer comparison; indexes are 0-based positions in each image. */
export interface AlignedLayer {
  change: LayerChange
  baseIndex?: number
  headIndex?: number
}

/**
 * Aligns two layer lists:
 *  1. layers with the same diff ID are shared, wherever they sit (a reorder changes nothing);
 *  2. the rest are aligned by the longest common subsequence of their normalised instructions,
 *     so an inserted or edited step shows as one row, not as every later layer changed;
 *  3. between two matched steps, as many removed as added layers are edited steps: changed.
 * Rows come in head order, removed layers where they stood in the base.
 */
export function alignLayers(base: AlignItem[], head: AlignItem[]): AlignedLayer[] {
  const shared = matchByDiffId(base, head)
  const baseRest = base.map((_, i) => i).filter((i) => !shared.baseToHead.has(i))
  const headRest = head.map((_, i) => i).filter((i) => !shared.headToBase.has(i))
  const changed = new Map<number, number>() // head index → base index
  const exact = (layer: AlignItem) => layer.step
  const shape = (layer: AlignItem) => instructionShape(layer.step)
  alignRest(baseRest, headRest, [exact, shape], base, head, changed)
  return mergeRows(base.length, head.length, shared.headToBase, changed)
}

/**
 * Pairs the unshared layers: LCS on the finest key, then the same on each gap between matched
 * steps with a coarser key (numbers and hashes blanked: `head -c 1000000` ~ `head -c 1500000`),
 * and last, a gap with as many base as head layers pairs up in order (edited steps).
 */
function alignRest(
  baseRest: number[],
  headRest: number[],
  keys: Array<(layer: AlignItem) => string>,
  base: AlignItem[],
  head: AlignItem[],
  pairs: Map<number, number>,
): void {
  if (keys.length === 0) {
    if (baseRest.length === headRest.length) baseRest.forEach((b, k) => pairs.set(headRest[k], b))
    return
  }
  const [key, ...coarser] = keys
  const lcs = longestCommonSubsequence(
    baseRest.map((i) => key(base[i])),
    headRest.map((i) => key(head[i])),
  )
  let prevB = 0
  let prevH = 0
  for (const [b, h] of [...lcs, [baseRest.length, headRest.length] as [number, number]]) {
    alignRest(baseRest.slice(prevB, b), headRest.slice(prevH, h), coarser, base, head, pairs)
    if (b < baseRest.length) pairs.set(headRest[h], baseRest[b])
    prevB = b + 1
    prevH = h + 1
  }
}

/** The instruction with numbers, hashes and quoted text blanked, for a looser match. */
export function instructionShape(instruction: string): string {
  return instruction
    .replace(/"[^"]*"|'[^']*'/g, '"…"')
    .replace(/[0-9a-f]{12,}/g, '#')
    .replace(/[0-9]+(?:\.[0-9]+)*/g, '#')
}

function matchByDiffId(base: AlignItem[], head: AlignItem[]) {
  const free = new Map<string, number[]>()
  base.forEach((layer, i) => free.set(layer.diffId, [...(free.get(layer.diffId) ?? []), i]))
  const headToBase = new Map<number, number>()
  const baseToHead = new Map<number, number>()
  head.forEach((layer, h) => {
    const b = free.get(layer.diffId)?.shift()
    if (b === undefined) return
    headToBase.set(h, b)
    baseToHead.set(b, h)
  })
  return { headToBase, baseToHead }
}

/** Index pairs [a, b] of one longest common subsequence, in order. O(n·m) time and memory. */
export function longestCommonSubsequence(a: string[], b: string[]): Array<[number, number]> {
  const width = b.length + 1
  const table = new Uint32Array((a.length + 1) * width)
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i * width + j] =
        a[i] === b[j]
          ? table[(i + 1) * width + j + 1] + 1
          : Math.max(table[(i + 1) * width + j], table[i * width + j + 1])
    }
  }
  const pairs: Array<[number, number]> = []
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    if (a[i] === b[j]) pairs.push([i++, j++])
    else if (table[(i + 1) * width + j] >= table[i * width + j + 1]) i++
    else j++
  }
  return pairs
}

function mergeRows(
  baseCount: number,
  headCount: number,
  shared: Map<number, number>,
  changed: Map<number, number>,
): AlignedLayer[] {
  const matchedBase = new Set([...shared.values(), ...changed.values()])
  const rows: AlignedLayer[] = []
  let nextBase = 0
  const flushRemoved = (upTo: number) => {
    for (; nextBase < upTo; nextBase++) {
      if (!matchedBase.has(nextBase)) rows.push({ change: 'removed', baseIndex: nextBase })
    }
  }
  // Removed base layers go before the head layers that took their place.
  const nextMatchedBase: number[] = new Array<number>(headCount + 1).fill(baseCount)
  for (let h = headCount - 1; h >= 0; h--) {
    nextMatchedBase[h] = shared.get(h) ?? changed.get(h) ?? nextMatchedBase[h + 1]
  }
  for (let h = 0; h < headCount; h++) {
    const b = shared.get(h) ?? changed.get(h)
    if (b === undefined) {
      flushRemoved(nextMatchedBase[h])
      rows.push({ change: 'added', headIndex: h })
      continue
    }
    if (b >= nextBase) flushRemoved(b + 1)
    rows.push({ change: shared.has(h) ? 'unchanged' : 'changed', baseIndex: b, headIndex: h })
  }
  flushRemoved(baseCount)
  return rows
}
