import { plainText, wordFinding } from '../format/finding-words.js'
import { formatDelta } from '../format/size.js'
import { oneLine } from '../format/text.js'
import type { ReportEntry } from '../report/report.js'
import type { LayerSource } from './map-layers.js'

/** A warning on Dockerfile lines; text in one line, Dockerfile text in it only as code. */
export interface DockerfileAnnotation {
  startLine: number
  endLine: number
  title: string
  message: string
}

export interface AnnotationOptions {
  /**
   * At most this many annotations. GitHub keeps 10 warnings per step; two are left for the
   * verdict and any other warning of the run.
   */
  max?: number
  /** Layers that grew the image by at least this many bytes are annotated besides the largest */
  minGrowthBytes?: number
}

const MAX_TITLE_CHARS = 100
const MAX_MESSAGE_CHARS = 1000

/**
 * What to say on which Dockerfile lines: the step whose layer grew the image most (and the
 * others that grew it by minGrowthBytes or more), and each finding on the steps of the layers it
 * points at. Only mapped layers are annotated; the largest growth first, then the findings in
 * the report's order, then the other growth; at most `max`, one per line and title.
 */
export function chooseAnnotations(
  entry: ReportEntry,
  sources: LayerSource[],
  options: AnnotationOptions = {},
): DockerfileAnnotation[] {
  const max = options.max ?? 8
  const minGrowth = options.minGrowthBytes ?? 1_000_000
  const byLayer = new Map(sources.map((s) => [s.layer, s.instruction]))
  const layerCount = entry.comparison.head.layers.length
  const growth = entry.comparison.layers
    .filter((row) => row.headPosition !== undefined && (row.deltaBytes ?? 0) > 0)
    .sort((a, b) => (b.deltaBytes ?? 0) - (a.deltaBytes ?? 0))
  const grew = growth.map((row, rank) => ({
    layer: row.headPosition as number,
    bytes: row.deltaBytes as number,
    rank,
  }))
  const growthNote = ({ layer, bytes, rank }: (typeof grew)[number]) => ({
    layer,
    title: `Image grew ${formatDelta(bytes)} here`,
    message: `Layer ${layer} of ${layerCount}, made by this step, grew the image by ${formatDelta(bytes)}${rank === 0 ? ', more than any other layer' : ''}.`,
  })
  const largest = grew.slice(0, 1).map(growthNote)
  const others = grew
    .slice(1)
    .filter((g) => g.bytes >= minGrowth)
    .map(growthNote)
  // A finding already true of the base image does not count against the PR, and may point at
  // the base image's positions: not annotated.
  const findings = entry.findings
    .filter((f) => !f.inBase)
    .flatMap((finding) => {
      const words = wordFinding(finding)
      const title = [words.title, ...words.labels.map((l) => `(${l})`)].join(' ')
      const message = `${plainText(words.detail)} Fix: ${plainText(words.fix)}`
      return finding.layers.map((layer) => ({ layer, title, message }))
    })
  const chosen: DockerfileAnnotation[] = []
  const seen = new Set<string>()
  for (const note of [...largest, ...findings, ...others]) {
    const instruction = byLayer.get(note.layer)
    if (!instruction || chosen.length >= max) continue
    const key = `${instruction.startLine} ${note.title}`
    if (seen.has(key)) continue
    seen.add(key)
    chosen.push({
      startLine: instruction.startLine,
      endLine: instruction.endLine,
      title: oneLine(note.title, MAX_TITLE_CHARS),
      message: oneLine(note.message, MAX_MESSAGE_CHARS),
    })
  }
  return chosen
}
