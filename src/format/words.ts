/**
 * Prose and inline code, kept apart: what findings are worded in. Text from the image or the
 * PR (commands, paths, package names) only ever becomes inline code, already one line,
 * truncated and stripped of backticks and pipes (codeText); every renderer then says the prose
 * and the code its own way.
 */
import { codeText, listParts } from './text.js'

/** Inline code: a command, a path, a package name */
export interface Code {
  code: string
}
/** Prose and inline code, in reading order */
export type Words = Array<string | Code>

export type Part = string | Code | Words

/** Words from prose and parts: words`Run ${code('make')} first` */
export function words(strings: TemplateStringsArray, ...parts: Part[]): Words {
  const all = strings.flatMap((text, i) => [text, ...(i < parts.length ? [parts[i]].flat() : [])])
  return all.filter((part) => part !== '')
}

/** Trusted inline code, written here */
export const code = (text: string): Code => ({ code: text })
/** Untrusted text as inline code: one line, at most `maxChars` characters */
export const quote = (text: string, maxChars = 60): Code => ({
  code: codeText(text, maxChars) || '…',
})

/** Words as plain text, code between backticks (the terminal and the JSON report). */
export function plainText(w: Words): string {
  return w.map((part) => (typeof part === 'string' ? part : `\`${part.code}\``)).join('')
}

export function capitalise(w: Words): Words {
  const [first, ...rest] = w
  return typeof first === 'string' ? [first.charAt(0).toUpperCase() + first.slice(1), ...rest] : w
}

export function list(items: Words[], max?: number): Words {
  return listParts(items, max).flat()
}

export const semicolons = (items: Words[]): Words =>
  items.flatMap((w, i) => (i === 0 ? w : ['; ', ...w]))
