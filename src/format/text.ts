/**
 * Words every report shares, whatever it is rendered as (markdown, a terminal, JSON): one-line
 * text, the contents of an inline code span, and lists such as "layers 1, 2 and 3".
 */

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

/**
 * What an inline code span of untrusted text holds: one line, truncated, without backticks
 * (which would end the span) or pipes (which would split a table cell). Renderers add the
 * backticks and whatever their format needs on top.
 */
export function codeText(text: string, maxChars: number): string {
  return oneLine(text, maxChars).replace(/[`|]/g, '')
}

/** `a`, `a and b`, `a, b and c`; past `max` items, `a, b, c and 2 more`. */
export function listOf(items: string[], max = 4): string {
  return listParts(items, max).join('')
}

/** listOf's items with the words between them, for items that are not plain text. */
export function listParts<T>(items: T[], max = 4): Array<T | string> {
  const commas = (shown: T[]) => shown.flatMap((item, i) => (i === 0 ? [item] : [', ', item]))
  if (items.length > max)
    return [...commas(items.slice(0, max - 1)), ` and ${items.length - max + 1} more`]
  if (items.length <= 1) return items.slice(0, 1)
  return [...commas(items.slice(0, -1)), ' and ', items[items.length - 1]]
}

/** `layer 6`, `layers 6 and 7`; past `max` positions, `layers 1, 2, … and 3 more`. */
export function layersText(positions: number[], max = 8): string {
  return `${positions.length === 1 ? 'layer' : 'layers'} ${listOf(positions.map(String), max)}`
}

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
