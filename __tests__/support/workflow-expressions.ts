/**
 * GitHub Actions expressions (`${{ … }}`), as far as the README's workflows need them: contexts
 * with property access (names may hold dashes: `steps.size.outputs.report-path`), string, number
 * and boolean literals, `! == != && || ( )`, and the status functions plus `contains`,
 * `startsWith`, `endsWith`. Anything else throws, naming what is not supported, so a workflow
 * the e2e framework cannot evaluate fails its test instead of being run wrongly.
 * https://docs.github.com/actions/reference/workflows-and-actions/expressions
 */

export type Value = string | number | boolean | null | Value[] | { [key: string]: Value }

/** The contexts an expression reads (github, secrets, matrix, steps, needs, env, …). */
export type ExpressionContext = Record<string, Value>

/** The status functions: what the job's steps (or the needed jobs) came to so far. */
export interface JobStatus {
  failed: boolean
}

export class ExpressionError extends Error {}

type Token = { kind: 'op' | 'name' | 'string' | 'number'; text: string }

function tokenize(source: string): Token[] {
  const tokens: Token[] = []
  const re =
    /\s*(?:(==|!=|&&|\|\||<=|>=|[!().,<>[\]])|('(?:[^']|'')*')|(-?\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_-]*|\*))/y
  let at = 0
  while (at < source.length) {
    if (/^\s*$/.test(source.slice(at))) break
    re.lastIndex = at
    const m = re.exec(source)
    if (!m) throw new ExpressionError(`cannot read "${source.slice(at)}" in \${{ ${source} }}`)
    at = re.lastIndex
    if (m[1]) tokens.push({ kind: 'op', text: m[1] })
    else if (m[2]) tokens.push({ kind: 'string', text: m[2].slice(1, -1).replace(/''/g, "'") })
    else if (m[3]) tokens.push({ kind: 'number', text: m[3] })
    else tokens.push({ kind: 'name', text: m[4] })
  }
  return tokens
}

export const truthy = (v: Value | undefined): boolean =>
  !(v === undefined || v === null || v === false || v === '' || v === 0)

/** GitHub's loose equality: strings case-insensitively, null as '' against a string. */
function equal(a: Value | undefined, b: Value | undefined): boolean {
  const norm = (v: Value | undefined) =>
    v === undefined || v === null ? '' : typeof v === 'string' ? v.toLowerCase() : v
  const [x, y] = [norm(a), norm(b)]
  if (typeof x === typeof y) return x === y
  return String(x) === String(y)
}

const asText = (v: Value | undefined): string =>
  v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v)

/** Evaluates one expression (the text between `${{` and `}}`, or an `if:` without them). */
export function evaluate(source: string, ctx: ExpressionContext, status: JobStatus): Value {
  const tokens = tokenize(source)
  let i = 0
  const peek = (text?: string) =>
    tokens[i] && (text === undefined || tokens[i].text === text) ? tokens[i] : undefined
  const take = (text: string) => {
    if (!peek(text)) throw new ExpressionError(`expected "${text}" in \${{ ${source} }}`)
    i++
  }
  const or = (): Value => {
    let left = and()
    while (peek('||')) {
      i++
      const right = and()
      left = truthy(left) ? left : right
    }
    return left
  }
  const and = (): Value => {
    let left = comparison()
    while (peek('&&')) {
      i++
      const right = comparison()
      left = truthy(left) ? right : left
    }
    return left
  }
  const comparison = (): Value => {
    const left = unary()
    if (peek('==') || peek('!=')) {
      const op = tokens[i++].text
      const right = unary()
      return op === '==' ? equal(left, right) : !equal(left, right)
    }
    return left
  }
  const unary = (): Value => {
    if (peek('!')) {
      i++
      return !truthy(unary())
    }
    return primary()
  }
  const primary = (): Value => {
    const token = tokens[i++]
    if (!token) throw new ExpressionError(`\${{ ${source} }} ends too early`)
    if (token.text === '(' && token.kind === 'op') {
      const value = or()
      take(')')
      return value
    }
    if (token.kind === 'string') return token.text
    if (token.kind === 'number') return Number(token.text)
    if (token.kind !== 'name') throw new ExpressionError(`unexpected "${token.text}"`)
    if (token.text === 'true' || token.text === 'false') return token.text === 'true'
    if (token.text === 'null') return null
    if (peek('(')) return call(token.text)
    return access(token.text)
  }
  const call = (name: string): Value => {
    take('(')
    const args: Value[] = []
    while (!peek(')')) {
      args.push(or())
      if (peek(',')) i++
    }
    take(')')
    const [a, b] = args
    switch (name) {
      case 'success':
        return !status.failed
      case 'failure':
        return status.failed
      case 'always':
        return true
      case 'cancelled':
        return false
      case 'contains':
        return Array.isArray(a)
          ? a.some((x) => equal(x, b))
          : asText(a).toLowerCase().includes(asText(b).toLowerCase())
      case 'startsWith':
        return asText(a).toLowerCase().startsWith(asText(b).toLowerCase())
      case 'endsWith':
        return asText(a).toLowerCase().endsWith(asText(b).toLowerCase())
      default:
        throw new ExpressionError(`the function ${name}() is not supported by the test runner`)
    }
  }
  const access = (root: string): Value => {
    if (!(root in ctx))
      throw new ExpressionError(`the context "${root}" is not defined by the test runner`)
    let value: Value | undefined = ctx[root]
    let path = root
    while (peek('.') || peek('[')) {
      let key: string
      if (tokens[i].text === '.') {
        i++
        const name = tokens[i++]
        if (!name || name.kind !== 'name') throw new ExpressionError(`bad property after ${path}`)
        key = name.text
      } else {
        i++
        key = asText(or())
        take(']')
      }
      path = `${path}.${key}`
      if (root === 'secrets' && path.split('.').length === 2 && !(key in (ctx.secrets as object)))
        throw new ExpressionError(`secrets.${key} is not defined by the test runner`)
      value =
        value && typeof value === 'object' && !Array.isArray(value)
          ? (Object.entries(value).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1] ??
            null)
          : null
    }
    return value ?? null
  }
  const value = or()
  if (i < tokens.length)
    throw new ExpressionError(`unexpected "${tokens[i].text}" in \${{ ${source} }}`)
  return value
}

/** A `with:` value or `run:` script with every `${{ … }}` replaced by its value as text. */
export function interpolate(text: string, ctx: ExpressionContext, status: JobStatus): string {
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_m, expr: string) =>
    asText(evaluate(expr, ctx, status)),
  )
}

/** An `if:` condition: with or without `${{ }}`; absent means success(). */
export function condition(source: unknown, ctx: ExpressionContext, status: JobStatus): boolean {
  if (source === undefined || source === null) return !status.failed
  if (typeof source === 'boolean') return source
  const text = String(source).trim()
  const whole = /^\$\{\{([\s\S]*)\}\}$/.exec(text)
  const expr = whole ? whole[1] : text
  // A condition that calls no status function is `success() && (…)`, as GitHub reads it.
  const hasStatus = /\b(success|failure|always|cancelled)\s*\(/.test(expr)
  return (hasStatus || !status.failed) && truthy(evaluate(expr, ctx, status))
}
