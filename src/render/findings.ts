import type { Finding } from '../explain/explain.js'
import { plainText, wordFinding, type Words } from '../format/finding-words.js'
import { formatBytes, formatDelta } from '../format/size.js'
import { layersText, oneLine } from '../format/text.js'
import { codeSpan, escapeMarkdown } from './escape.js'

/** Longest prose run and code span of a finding's text, in characters */
const MAX_PROSE_CHARS = 1000
const MAX_CODE_CHARS = 200
/**
 * Code that holds HTML, a mention or a link is shown as escaped text instead: inert in a code
 * span on GitHub, but the body then holds no raw `<tag` or `@name` anywhere (defence in depth).
 */
const UNSAFE_IN_CODE = /[<>@]|:\/\//

/**
 * The "Why it grew" list for the comment. Each prose run is escaped and each piece of code (text
 * from the PR only ever is code) rebuilt with codeSpan, so it cannot inject markdown, HTML or
 * mentions.
 */
export function renderFindingsMarkdown(findings: Finding[]): string {
  const items = findings.map((f) => {
    const words = wordFinding(f)
    return (
      `- **${escapeMarkdown(words.title)}**${labelsMarkdown(words.labels)} (${where(f)}): ${inlineMarkdown(words.detail)}\n` +
      `  **Fix:** ${inlineMarkdown(words.fix)}`
    )
  })
  return `**${heading(findings)}**\n\n${items.join('\n')}`
}

/** Secret-like files are reported even when nothing grew: then the list is not about growth. */
function heading(findings: Finding[]): string {
  return findings.every((f) => f.key === 'secret-file') ? 'Secrets in the image' : 'Why it grew'
}

/** The same list for a terminal: one line per finding, then its detail and fix, indented. */
export function renderFindingsText(findings: Finding[]): string[] {
  if (findings.length === 0) return []
  return [
    `${heading(findings)}:`,
    ...findings.flatMap((f) => {
      const words = wordFinding(f)
      return [
        `  - ${oneLine(words.title, 80)}${words.labels.map((l) => ` [${l}]`).join('')} (${where(f)}) [${oneLine(f.key, 40)}]`,
        `    ${oneLine(plainText(words.detail), MAX_PROSE_CHARS)}`,
        `    Fix: ${oneLine(plainText(words.fix), MAX_PROSE_CHARS)}`,
      ]
    }),
  ]
}

const labelsMarkdown = (labels: string[]) => labels.map((l) => ` _(${escapeMarkdown(l)})_`).join('')

/** Evidence kinds whose bytes are the growth of the layers pointed at (the instruction rules) */
const LAYER_GROWTH = new Set([
  'build-tools-in-final-image',
  'package-cache-left',
  'deleted-in-later-layer',
  'broad-copy',
  'dev-dependencies',
  'metadata-copy-up',
  'fat-base-image',
])

function where(f: Finding): string {
  const count = f.layers.length
  const layers = count > 0 ? [layersText(f.layers, Infinity)] : []
  return [...layers, ...bytesText(f)].join(', ')
}

function bytesText(f: Finding): string[] {
  if (f.bytes === undefined) return []
  // The growth of the layers pointed at, not bytes attributed to this cause alone.
  const kind = f.evidence.kind === 'reported' ? f.evidence.of : f.evidence.kind
  if (LAYER_GROWTH.has(kind))
    return [`${formatDelta(f.bytes)} in ${f.layers.length === 1 ? 'that layer' : 'those layers'}`]
  // File evidence: the exact bytes of its paths (of the PR's own layers, when the base has it too)
  return [f.inBase ? `${formatBytes(f.bytes)} from this PR` : formatBytes(f.bytes)]
}

/** Prose escaped, code rebuilt as code spans (or escaped when unsafe); white space at the joins kept. */
export function inlineMarkdown(words: Words): string {
  // Prose next to prose is one run, so each run is escaped (and truncated) as a whole.
  const runs: string[] = ['']
  for (const part of words) {
    if (typeof part === 'string') runs[runs.length - 1] += part
    else runs.push(part.code, '')
  }
  return runs
    .map((part, i) => {
      if (i % 2 === 1)
        return UNSAFE_IN_CODE.test(part)
          ? escapeMarkdown(part, MAX_CODE_CHARS)
          : codeSpan(part, MAX_CODE_CHARS)
      const escaped = escapeMarkdown(part, MAX_PROSE_CHARS)
      if (escaped === '') return part === '' ? '' : ' '
      return `${/^\s/.test(part) ? ' ' : ''}${escaped}${/\s$/.test(part) ? ' ' : ''}`
    })
    .join('')
}
