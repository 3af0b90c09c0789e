/**
 * `WWW-Authenticate` challenges, as registries send them with a 401:
 *   Basic realm="registry"
 *   Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull"
 * https://distribution.github.io/distribution/spec/auth/token/
 * https://www.rfc-editor.org/rfc/rfc9110#section-11.6.1
 */

export interface Challenge {
  /** Lower-cased auth scheme: `basic`, `bearer`, … */
  scheme: string
  /** Parameters with lower-cased names; quoted values unquoted */
  params: Record<string, string>
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/
const SPACE = /^[\s,]*/

/**
 * Every challenge in a header value (several challenges may share one header, comma-separated,
 * and `Headers.get` joins repeated headers the same way). Malformed tails are dropped.
 */
export function parseChallenges(header: string | null | undefined): Challenge[] {
  const challenges: Challenge[] = []
  let rest = header ?? ''
  for (;;) {
    rest = rest.replace(SPACE, '')
    const scheme = TOKEN.exec(rest)?.[0]
    if (!scheme) return challenges
    rest = rest.slice(scheme.length)
    const parsed = parseParams(rest)
    challenges.push({ scheme: scheme.toLowerCase(), params: parsed.params })
    rest = parsed.rest
  }
}

/** Reads `name=value` pairs until the next scheme (a token not followed by `=`). */
function parseParams(text: string): { params: Record<string, string>; rest: string } {
  const params: Record<string, string> = {}
  let rest = text
  for (;;) {
    const start = rest.replace(SPACE, '')
    const name = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*=\s*/.exec(start)
    if (!name) return { params, rest: start }
    const value = readValue(start.slice(name[0].length))
    if (!value) return { params, rest: '' }
    params[name[1].toLowerCase()] = value.value
    rest = value.rest
  }
}

function readValue(text: string): { value: string; rest: string } | undefined {
  if (!text.startsWith('"')) {
    const token = /^[^\s,]*/.exec(text)?.[0] ?? ''
    return { value: token, rest: text.slice(token.length) }
  }
  let value = ''
  for (let i = 1; i < text.length; i += 1) {
    const char = text[i]
    if (char === '"') return { value, rest: text.slice(i + 1) }
    if (char === '\\' && i + 1 < text.length) i += 1
    value += text[i]
  }
  return undefined
}

/** The challenge to answer: Bearer when offered (it also works anonymously), else Basic. */
export function pickChallenge(challenges: Challenge[]): Challenge | undefined {
  return (
    challenges.find((c) => c.scheme === 'bearer' && c.params.realm) ??
    challenges.find((c) => c.scheme === 'basic')
  )
}
