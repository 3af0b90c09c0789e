/**
 * The points one run adds to the history: one per report entry (platform), built from what the
 * report already holds. Sizes are the PR image's (the measured commit's), on both bases where
 * its source knew them.
 */
import { sumOn } from '../compare/compare.js'
import type { SizePoint } from '../model/size-history.js'
import type { Report } from '../report/report.js'
import { HISTORY_CAPS, cutText } from './history-file.js'

export interface PointContext {
  /** The image key (the run's comment key) */
  key: string
  /** The commit measured, 40 hex digits */
  sha: string
  /** When it was measured */
  time: Date
}

export function pointsFromReport(report: Report, context: PointContext): SizePoint[] {
  return report.entries.map((entry) => {
    const { head, pull, layers } = entry.comparison
    // Without a baseline every layer is "added": no change worth naming.
    const changes = (entry.comparison.noBaseline ? [] : layers)
      .filter((layer) => (layer.deltaBytes ?? 0) !== 0)
      .sort((a, b) => Math.abs(b.deltaBytes ?? 0) - Math.abs(a.deltaBytes ?? 0))
      .slice(0, HISTORY_CAPS.layerChanges)
      .map((layer) => ({
        instruction: cutText(layer.step || layer.instruction, HISTORY_CAPS.instructionChars),
        deltaBytes: layer.deltaBytes ?? 0,
      }))
    const point: SizePoint = {
      sha: context.sha,
      time: context.time.toISOString(),
      key: context.key,
      ...(entry.label ? { platform: entry.label } : {}),
      layers: head.layers.length,
    }
    const set = (name: keyof SizePoint, value: number | undefined) => {
      if (value !== undefined) Object.assign(point, { [name]: value })
    }
    set('uncompressedBytes', sumOn(head.layers, 'uncompressed'))
    set('compressedBytes', sumOn(head.layers, 'compressed'))
    set('pullBytes', pull?.headBytes ?? sumOn(head.layers, 'compressed'))
    set('reclaimableBytes', entry.files?.head.reclaimableBytes)
    if (changes.length > 0) point.layerChanges = changes
    return point
  })
}
