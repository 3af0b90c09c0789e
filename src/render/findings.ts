import { formatDelta } from '../format/size.js'
import type { Finding } from '../explain/explain.js'
import { oneLine } from '../format/text.js'
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
 * The "Why it grew" list for the comment. A finding's text is prose with inline code between
 * backticks; each prose run is escaped and each code span rebuilt with codeSpan, so text from
 * the PR (which explain only puts inside code spans) cannot inject markdown, HTML or mentions.
 */
export function renderFindingsMarkdown(findings: Finding[]): string {
  const items = findings.map(
    (f) =>
      `- **${escapeMarkdown(f.title)}** (${where(f)}): ${inlineMarkdown(f.detail)}\n` +
      `  **Fix:** ${inlineMarkdown(f.fix)}`,
  )
  return `**Why it grew**\n\n${items.join('\n')}`
}

/** The same list for a terminal: one line per finding, then its detail and fix, indented. */
export function renderFindingsText(findings: Finding[]): string[] {
  if (findings.length === 0) return []
  return [
    'Why it grew:',
    ...findings.flatMap((f) => [
      `  - ${oneLine(f.title, 80)} (${where(f)}) [${oneLine(f.key, 40)}]`,
      `    ${oneLine(f.detail, MAX_PROSE_CHARS)}`,
      `    Fix: ${oneLine(f.fix, MAX_PROSE_CHARS)}`,
    ]),
  ]
}

function where(f: Finding): string {
  const numbers = f.layers.map(String)
  const list =
    numbers.length > 1 ? `${numbers.slice(0, -1).join(', ')} and ${numbers.at(-1)}` : numbers[0]
  const layers = list ? [`${numbers.length === 1 ? 'layer' : 'layers'} ${list}`] : []
  // The growth of the layers pointed at, not bytes attributed to this cause alone.
  const growth =
    f.bytes === undefined
      ? []
      : [`${formatDelta(f.bytes)} in ${numbers.length === 1 ? 'that layer' : 'those layers'}`]
  return [...layers, ...growth].join(', ')
}

/** Prose escaped, code spans rebuilt (or escaped when unsafe); white space at the joins kept. */
export function inlineMarkdown(text: string): string {
  return text
    .split('`')
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
