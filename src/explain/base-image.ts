import type { Comparison, LayerDiff } from '../compare/compare.js'
import type { ExplainRule, Finding } from './types.js'

/** `ADD file:… in /`, `ADD alpine-minirootfs-3.20.3-x86_64.tar.gz /`, Debian's `# debian.sh …` */
const ROOT_FILESYSTEM =
  /^(?:ADD (?:--\S+ )*(?:file|\S*rootfs\S*|\S+\.(?:tar(?:\.\w+)?|tgz|txz)) (?:in )?\/|RUN #)/
/** Steps that start a Dockerfile's own part far more often than a base image's */
const APP_START = /^(?:WORKDIR|COPY|ADD)\b/

/** Growth of the base image's layers that is worth a finding: over 10 MB or 5% of the base. */
const MEANINGFUL_BYTES = 10_000_000
const MEANINGFUL_SHARE = 0.05

export function isRootFilesystem(instruction: string): boolean {
  return ROOT_FILESYSTEM.test(instruction)
}

/**
 * How many leading rows of the comparison are the FROM image's layers. The history does not
 * mark where the base image ends and the Dockerfile's own steps begin, so this approximates:
 *  - no baseline: the leading root filesystems only (what follows may be the app's steps);
 *  - the same bottom layer in both images: the FROM image did not change, and its layers are
 *    the leading unchanged ones (so nothing in them grew);
 *  - otherwise (the FROM image changed): the leading rows up to the first that looks like the
 *    app's own step: a WORKDIR, a COPY or ADD other than a root filesystem, or a step that
 *    both images have with the same instruction (the app's steps survive a new base image,
 *    the old base's steps do not). A PR that changes FROM and edits the first RUN after it
 *    has that RUN counted as the base image's.
 */
export function baseImageRowCount(c: Comparison): number {
  const rows = c.layers
  let count = 0
  if (!c.base || rows[0]?.change === 'unchanged') {
    const inBase = (row: LayerDiff) =>
      c.base ? row.change === 'unchanged' : isRootFilesystem(row.step)
    while (count < rows.length && inBase(rows[count])) count++
    return count
  }
  while (count < rows.length && !isAppStep(rows[count])) count++
  return count
}

function isAppStep(row: LayerDiff): boolean {
  if (isRootFilesystem(row.step)) return false
  if (APP_START.test(row.step) || row.change === 'unchanged') return true
  return row.change === 'changed' && row.baseStep === row.step
}

/** The FROM image's layers grew meaningfully: a bigger or different base image. */
export const fatBaseImage: ExplainRule = {
  key: 'fat-base-image',
  explain({ comparison: c, baseImageRows, files }): Finding[] {
    const rows = c.layers.slice(0, baseImageRows)
    if (!c.base || rows.length === 0 || rows.some((r) => r.deltaBytes === undefined)) return []
    const growth = rows.reduce((sum, r) => sum + (r.deltaBytes ?? 0), 0)
    const baseTotal = c.totals.baseBytes
    const share = baseTotal ? growth / baseTotal : undefined
    if (growth <= MEANINGFUL_BYTES && (share === undefined || share <= MEANINGFUL_SHARE)) return []
    const grown = rows.flatMap((r) =>
      r.headPosition !== undefined && r.change !== 'unchanged' && (r.deltaBytes ?? 0) > 0
        ? [r.headPosition]
        : [],
    )
    const headCount = rows.filter((r) => r.headPosition !== undefined).length
    const baseCount = rows.filter((r) => r.basePosition !== undefined).length
    return [
      {
        key: 'fat-base-image',
        layers: grown,
        bytes: growth,
        evidence: {
          kind: 'fat-base-image',
          headLayers: headCount,
          baseLayers: baseCount,
          growth,
          percentOfBase: share === undefined ? undefined : share * 100,
          grown,
          ...(files?.head.os ? { os: files.head.os } : {}),
        },
      },
    ]
  },
}
