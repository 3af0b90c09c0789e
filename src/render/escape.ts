/**
 * Text from the pull request (layer instructions, file names, labels, references) is hostile:
 * it must not break a table, inject HTML or links, or notify people.
 */

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }
/** Markdown punctuation that can start emphasis, code, links, headings, tables or strikes. */
const MARKDOWN = /[\\`*_{}[\]()#+!|~^$]/g

/**
 * Characters that show nothing themselves but change or hide the text around them:
 * bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069, U+061C, which
 * can make `txt.exe` read as `exe.txt`), zero-width spaces and joiners (U+200B–U+200F), the word
 * joiner (U+2060), the BOM (U+FEFF), tag characters, Hangul fillers and the other format (Cf)
 * and default-ignorable code points.
 */
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu
/** Variation selectors only pick a glyph (emoji or text style): dropped silently. */
const VARIATION_SELECTOR = /[\uFE00-\uFE0F\u{E0100}-\u{E01EF}]/gu

/** An invisible character as visible text: U+202E becomes `<U+202E>`. */
export function showInvisible(text: string): string {
  return text
    .replace(VARIATION_SELECTOR, '')
    .replace(
      INVISIBLE,
      (c) => `<U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}>`,
    )
}

/**
 * Collapses to one line and truncates to `maxChars` characters (an ellipsis marks a cut);
 * invisible characters are shown as `<U+XXXX>` (showInvisible).
 */
export function oneLine(text: string, maxChars: number): string {
  // White space, and C0/C1 control characters (which could hide text or break the layout)
  const flat = showInvisible(text)
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    .replace(/[\s\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
    .trim()
  const chars = Array.from(flat) // code points, so a cut never splits a surrogate pair
  return chars.length <= maxChars ? flat : `${chars.slice(0, maxChars - 1).join('')}…`
}

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
  return `\`${defuseHtmlComment(oneLine(text, maxChars).replace(/[`|]/g, ''))}\``
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
