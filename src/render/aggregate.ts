/**
 * Several images' reports in one comment (mode aggregate, issue 10): an overview table first,
 * one row per image and platform, verdict first; then each image's usual section, collapsed.
 * The sections shrink (renderComment's own levels) so the whole fits the limit.
 */
import { markdownTable } from 'markdown-table'
import { formatBytes, formatDelta, formatPercent } from '../format/size.js'
import { worstVerdict, type Verdict } from '../model/verdict.js'
import type { Report } from '../report/report.js'
import { COMMENT_MAX_CHARS, renderComment, type RenderOptions } from './comment.js'
import { codeBlock, codeSpan, escapeMarkdown } from './escape.js'
import { STATUS_TEXT, verdictHeadline } from './parts.js'

export interface ImageReport {
  /** The image's key (its leg's comment key); untrusted (a file name from an artifact) */
  key: string
  report: Report
  /**
   * Why the image could not be measured (the images input: a missing image, a failed build);
   * its report is then empty with verdict fail, and its row and section say this instead.
   */
  error?: string
  /** With `error`: the last lines of the image's failed build, untrusted (the PR's Dockerfile) */
  errorLog?: string[]
}

export function aggregateVerdict(images: ImageReport[]): Verdict {
  return worstVerdict(images.map((i) => i.report.verdict))
}

export function renderAggregate(images: ImageReport[], options: RenderOptions = {}): string {
  const maxChars = options.maxChars ?? COMMENT_MAX_CHARS
  const measure = options.measure ?? ((b: string) => b.length)
  const head = [
    `### ${verdictHeadline(aggregateVerdict(images))}: ${images.length} images`,
    overviewTable(images),
  ].join('\n\n')
  // Each section gets an equal share of what is left; renderComment shrinks to fit it.
  for (let share = 1; share >= 1 / 64; share /= 2) {
    const room = Math.floor(((maxChars - measure(head) - 200) / images.length) * share)
    const sections = images.map((image) => section(image, { ...options, maxChars: room }))
    const body = `${[head, ...sections].join('\n\n')}\n`
    if (measure(body) <= maxChars) return body
  }
  return `${head}\n\nThe sections are too large for a comment. ${options.fullReportHint ?? ''}\n`.slice(
    0,
    maxChars,
  )
}

function section(image: ImageReport, options: RenderOptions): string {
  const summary = `${STATUS_TEXT[image.report.verdict]} ${escapeMarkdown(image.key, 100)}`
  if (image.error !== undefined) {
    const log = image.errorLog?.length
      ? `\n\nBuild log, last lines:\n\n${codeBlock(image.errorLog)}`
      : ''
    return `<details><summary>${summary}</summary>\n\nNot measured: ${escapeMarkdown(image.error, 2000)}${log}\n</details>`
  }
  const body = renderComment(image.report, {
    ...options,
    maxChars: Math.max(0, options.maxChars ?? 0),
  })
  return `<details><summary>${summary}</summary>\n\n${body}\n</details>`
}

function overviewTable(images: ImageReport[]): string {
  const size = (n?: number) => (n === undefined ? '—' : formatBytes(n))
  const rows = images.flatMap(({ key, report, error }) => {
    if (error !== undefined)
      return [[STATUS_TEXT.fail, codeSpan(key, 60), '—', '—', '—', 'not measured', '—']]
    return report.entries.map((e) => {
      const t = e.comparison.totals
      const change =
        t.deltaBytes === undefined
          ? '—'
          : `${formatDelta(t.deltaBytes)} (${formatPercent(t.deltaPercent)})`
      return [
        STATUS_TEXT[e.verdict],
        codeSpan(key, 60),
        escapeMarkdown(e.label ?? '', 40) || '—',
        size(t.baseBytes),
        size(t.headBytes),
        change,
        size(e.comparison.pull?.headBytes),
      ]
    })
  })
  return markdownTable(
    [['Result', 'Image', 'Platform', 'Base', 'PR', 'Change', 'Pull size'], ...rows],
    { align: ['l', 'l', 'l', 'r', 'r', 'r', 'r'] },
  )
}

const NOT_MEASURED = {
  baseBytes: null,
  headBytes: null,
  deltaBytes: null,
  deltaPercent: null,
  pullBytes: null,
}

/** The `images` output: per image key (and platform), the verdict and the figures */
export function imagesOutput(images: ImageReport[]): Record<string, unknown> {
  // A Map, then fromEntries: a key such as `__proto__` (a file name) stays a plain key.
  const out = new Map<string, unknown>()
  for (const { key, report, error } of images) {
    if (error !== undefined) out.set(key, { verdict: 'fail', error, ...NOT_MEASURED })
    for (const e of report.entries) {
      const t = e.comparison.totals
      const name = report.entries.length > 1 && e.label ? `${key} ${e.label}` : key
      out.set(name, {
        verdict: e.verdict,
        baseBytes: t.baseBytes ?? null,
        headBytes: t.headBytes ?? null,
        deltaBytes: t.deltaBytes ?? null,
        deltaPercent: t.deltaPercent ?? null,
        pullBytes: e.comparison.pull?.headBytes ?? null,
      })
    }
  }
  return Object.fromEntries(out)
}
