/**
 * The `build-args` input: KEY=VALUE items separated by newlines or commas. An item wrapped in
 * double quotes keeps its commas (`"LIST=a,b"`, `""` for a literal quote), the way csv-parse
 * reads docker/build-push-action's list inputs.
 *
 * Unlike build-push-action, commas separate items here too (its `build-args` splits on newlines
 * only: getInputList(..., {ignoreComma: true})), so an unquoted `LIST=a,b` is an error that says
 * to quote it, never a silent split into `LIST=a` and `b`.
 */

/** Names a Dockerfile can read back as `$NAME`; the engine itself would accept more. */
const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/

/**
 * Why the text was rejected: one line, quoting each bad item. A class, so that
 * {@link isBuildArgsError} can tell it from a parsed record that has a build arg named `error`.
 */
export class BuildArgsError {
  constructor(readonly error: string) {}
}

/** Build arguments by name, or why the text is not a build-args list. */
export function parseBuildArgs(text: string): Record<string, string> | { error: string } {
  const problems: string[] = []
  const args = new Map<string, string>()
  for (const line of text.split(/\r?\n/)) {
    const items = splitItems(line)
    if (typeof items === 'string') {
      problems.push(items)
      continue
    }
    for (const item of items) {
      const problem = checkItem(item, line.includes(','), args)
      if (problem) problems.push(problem)
      else args.set(item.slice(0, item.indexOf('=')), item.slice(item.indexOf('=') + 1))
    }
  }
  if (problems.length > 0) return new BuildArgsError(`build-args: ${problems.join('; ')}`)
  // fromEntries defines own properties, so a key like `__proto__` stays a plain entry.
  return Object.fromEntries(args)
}

/** True for a rejection; use it rather than `'error' in result` (`error` is a valid ARG name). */
export function isBuildArgsError(
  result: Record<string, string> | { error: string },
): result is BuildArgsError {
  return result instanceof BuildArgsError
}

function checkItem(item: string, hadComma: boolean, seen: Map<string, string>): string | null {
  const eq = item.indexOf('=')
  if (eq < 0) {
    const hint = hadComma ? ' (to keep commas in a value, quote the item: "LIST=a,b")' : ''
    return `"${item}" is not KEY=VALUE${hint}`
  }
  const key = item.slice(0, eq)
  if (!KEY.test(key)) {
    return `"${item}": the key "${key}" must be letters, digits and _, not starting with a digit`
  }
  if (seen.has(key)) return `"${key}" is given more than once`
  return null
}

/** One line's items, trimmed, blanks dropped; or why its quotes are wrong. */
function splitItems(line: string): string[] | string {
  const items: string[] = []
  let rest = line.trim()
  while (rest.length > 0) {
    if (rest.startsWith('"')) {
      const quoted = readQuoted(rest)
      if (!quoted) return `"${line.trim()}": a quote is not closed`
      if (quoted.rest.length > 0 && !quoted.rest.startsWith(',')) {
        return `"${line.trim()}": only a comma may follow a closing quote`
      }
      items.push(quoted.value.trim())
      rest = quoted.rest.slice(1).trimStart()
    } else {
      const comma = rest.indexOf(',')
      items.push((comma < 0 ? rest : rest.slice(0, comma)).trim())
      rest = comma < 0 ? '' : rest.slice(comma + 1).trimStart()
    }
  }
  return items.filter((item) => item.length > 0)
}

/** A leading double-quoted field (`""` is a literal quote) and the text after it, trimmed. */
function readQuoted(text: string): { value: string; rest: string } | null {
  let value = ''
  for (let i = 1; i < text.length; i++) {
    if (text[i] !== '"') value += text[i]
    else if (text[i + 1] === '"') value += text[++i]
    else return { value, rest: text.slice(i + 1).trimStart() }
  }
  return null
}
