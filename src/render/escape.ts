/**
 * Text from the pull request (layer instructions, file names, labels, references) is hostile:
 * it must not break a table, inject HTML or links, or notify people.
 */

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }
/** Markdown punctuation that can start emphasis, code, links, headings, tables or strikes. */
const MARKDOWN = /[\\`*_{}[\]()#+!|~^$]/g

/** Collapses to one line and truncates to `maxChars` characters (an ellipsis marks a cut). */
export function oneLine(text: string, maxChars: number): string {
  // White space, and C0/C1 control characters (which could hide text or break the layout)
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  const flat = text.replace(/[\s\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim()
  const chars = Array.from(flat) // code points, so a cut never splits a surrogate pair
  return chars.length <= maxChars ? flat : `${chars.slice(0, maxChars - 1).join('')}…`
}

/**
 * Escapes untrusted text for a markdown table cell or paragraph: one line, truncated, HTML
 * entities, markdown punctuation backslashed, `@mentions` broken with a zero-width space
 * (`@&#8203;user` renders as @user but notifies nobody), and `#123` kept from linking issues.
 */
export function escapeMarkdown(text: string, maxChars = 120): string {
  return oneLine(text, maxChars)
    .replace(/[&<>"]/g, (c) => HTML[c])
    .replace(MARKDOWN, (c) => `\\${c}`)
    .replace(/@/g, '@&#8203;')
    .replace(/:\/\//g, ':&#8203;//')
}

/** A digest shortened for tables: `sha256:0123456789ab`. */
export function shortDigest(digest: string | undefined): string {
  if (!digest) return '—'
  const [algorithm, hex] = digest.includes(':') ? digest.split(':', 2) : ['sha256', digest]
  return `${algorithm}:${hex.slice(0, 12)}`
}

/**
 * Untrusted text as an inline code span, for references and digests: one line, truncated,
 * without backticks or pipes (which would end the span or split a table cell). Inside a code
 * span HTML and mentions are shown literally.
 */
export function codeSpan(text: string, maxChars = 100): string {
  return `\`${oneLine(text, maxChars).replace(/[`|]/g, '')}\``
}

/**
 * Untrusted lines (a build log) as a fenced code block: the fence is longer than any run of
 * backticks inside, so nothing can close it early; inside, HTML and mentions are inert.
 */
export function codeBlock(lines: string[], maxLines = 30, maxLineChars = 300): string {
  const shown = lines.slice(-maxLines).map((line) => oneLine(line, maxLineChars))
  const longestRun = Math.max(
    2,
    ...shown.map((l) => Math.max(0, ...(l.match(/`+/g) ?? []).map((r) => r.length))),
  )
  const fence = '`'.repeat(longestRun + 1)
  return `${fence}text\n${shown.join('\n')}\n${fence}`
}
