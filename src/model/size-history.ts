/**
 * The size history of a branch (issue 11): one point per measured build, per image key and
 * platform, kept in the repository itself. Not to be confused with an image's `docker history`
 * (model/pair-history.ts). This is the contract the history store, the trend renderers and the
 * drift budget share; everything read from the store is untrusted until validated.
 */

/** One build of one image (key) on one platform, on a recorded branch. */
export interface SizePoint {
  /** The commit measured (40 hex digits) */
  sha: string
  /** When the run measured it, ISO 8601 UTC */
  time: string
  /** The image's key (the comment key of its run, or its name in a multi-image run) */
  key: string
  /** `linux/arm64` when the run compared several platforms; absent for a single pair */
  platform?: string
  /** Total bytes on each basis, where the source knew them */
  uncompressedBytes?: number
  compressedBytes?: number
  layers: number
  /** Compressed bytes a pull transfers, where known (registry manifests) */
  pullBytes?: number
  /** Bytes hidden by later layers plus other reclaimable waste, where files were analysed */
  reclaimableBytes?: number
  /** The layers that changed most against the base of that run, largest first (at most 5) */
  layerChanges?: Array<{ instruction: string; deltaBytes: number }>
}

/**
 * The points of one image on the base branch, oldest first, as the action hands them to the
 * gate (already filtered to the image's key; every platform). `warning` says why it is empty or
 * partial (no history yet, unreadable store); a history problem never fails the gate.
 */
export interface SizeHistory {
  /** The recorded branch the points are from, e.g. `main` */
  branch: string
  points: SizePoint[]
  warning?: string
}

export type PointBasis = 'uncompressed' | 'compressed'

/** A point's total on `basis`, or undefined when its run did not know it. */
export function pointBytes(point: SizePoint, basis: PointBasis): number | undefined {
  return basis === 'compressed' ? point.compressedBytes : point.uncompressedBytes
}

/** A change between two consecutive points of the same key and platform. */
export interface SizeJump {
  from: SizePoint
  to: SizePoint
  deltaBytes: number
}

/**
 * The `count` largest increases between consecutive points (oldest first, one key and
 * platform), largest first; ties keep the older jump first. Points without a size on `basis`
 * are skipped, so a jump spans them. "Which commit made it grow": `to.sha`.
 */
export function largestJumps(
  points: readonly SizePoint[],
  basis: PointBasis,
  count: number,
): SizeJump[] {
  const jumps: SizeJump[] = []
  let previous: SizePoint | undefined
  for (const point of points) {
    const bytes = pointBytes(point, basis)
    if (bytes === undefined) continue
    const before = previous && pointBytes(previous, basis)
    if (previous && before !== undefined && bytes > before)
      jumps.push({ from: previous, to: point, deltaBytes: bytes - before })
    previous = point
  }
  return jumps
    .map((jump, order) => ({ jump, order }))
    .sort((a, b) => b.jump.deltaBytes - a.jump.deltaBytes || a.order - b.order)
    .slice(0, Math.max(0, count))
    .map(({ jump }) => jump)
}
