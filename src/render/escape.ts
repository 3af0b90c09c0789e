/**
 * Text from the pull request (layer instructions, file names, labels, references) is hostile:
 * it must not break a table, inject HTML or links, or notify people.
 */
import { codeText, oneLine } from '../format/text.js'

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }
/** Markdown punctuation that can start emphasis, code, links, headings, tables or strikes. */
const MARKDOWN = /[\\`*_{}[\]()#+!|~^$]/g

/** A zero-width space as an entity: breaks a link or mention, shows nothing, copies as U+200B. */
const ZWSP = '&#8203;'

/**
 * Escapes untrusted text for a markdown table cell or paragraph: one line, truncated, invisible
 * characters shown, HTML entities, markdown punctuation backslashed, and nothing that GitHub
 * turns into a link or a notification. A zero-width space (as an entity, so the body holds no
 * invisible character) goes after each `@` (mentions, emails: `@&#8203;user` renders as @user
 * but notifies nobody), inside `://` (URLs), after a bare `www` (extended autolinks) and between
 * `#` or `GH-` and a number (issue references, which GitHub links even when backslashed).
 */
export function escapeMarkdown(text: string, maxChars = 120): string {
  return (
    oneLine(text, maxChars)
      .replace(/[&<>"]/g, (c) => HTML[c])
      .replace(MARKDOWN, (c) => `\\${c}`)
      // First: the entities added below hold `#` and digits themselves.
      .replace(/(#|\bGH-)(?=\d)/gi, `$1${ZWSP}`)
      .replace(/@/g, `@${ZWSP}`)
      .replace(/:\/\//g, `:${ZWSP}//`)
      .replace(/(www)\./gi, `$1${ZWSP}.`)
  )
}

/**
 * `<!--` as `< !--`: untrusted text shown literally (code spans, code blocks) can then never
 * hold an HTML comment such as the sticky comment's marker, even where it would be inert.
 */
const defuseHtmlComment = (text: string) => text.replace(/<!--/g, '< !--')

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
  return `\`${defuseHtmlComment(codeText(text, maxChars))}\``
}

/**
 * Untrusted lines (a build log) as a fenced code block: the fence is longer than any run of
 * backticks inside, so nothing can close it early; inside, HTML and mentions are inert.
 */
export function codeBlock(lines: string[], maxLines = 30, maxLineChars = 300): string {
  const shown = lines.slice(-maxLines).map((line) => defuseHtmlComment(oneLine(line, maxLineChars)))
  const longestRun = Math.max(
    2,
    ...shown.map((l) => Math.max(0, ...(l.match(/`+/g) ?? []).map((r) => r.length))),
  )
  const fence = '`'.repeat(longestRun + 1)
  return `${fence}text\n${shown.join('\n')}\n${fence}`
}
