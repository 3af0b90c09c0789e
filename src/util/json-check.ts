/**
 * Small typed validators for JSON read from outside (image configs, manifests, indexes, engine
 * answers). A `Check<T>` returns the value as `T` or throws a `ShapeError` naming the field path
 * and what was there instead: `history[3].created_by is a number, expected a string`.
 * Only the fields a shape lists are checked and kept; others are ignored, as readers ignore them.
 */
import { UserError } from './errors.js'

/** What a field held that it should not have; `path` is empty for the document itself. */
export class ShapeError extends Error {
  override name = 'ShapeError'
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path || 'the document'} ${problem}`)
  }
}

export type Check<T> = (value: unknown, path: string) => T

/** A check for each field of `T`; optional fields take an `optional(...)` check. */
export type Shape<T> = { [K in keyof T]-?: Check<T[K]> }

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** `a number`, `an array`, `null`, `missing`: how a value is named in messages. */
function kindOf(value: unknown): string {
  if (value === undefined) return 'missing'
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}

function fail(value: unknown, path: string, expected: string): never {
  throw new ShapeError(path, `is ${kindOf(value)}, expected ${expected}`)
}

function field(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`
}

export const text: Check<string> = (value, path) =>
  typeof value === 'string' ? value : fail(value, path, 'a string')

export const flag: Check<boolean> = (value, path) =>
  typeof value === 'boolean' ? value : fail(value, path, 'a boolean')

/** A non-negative integer (byte counts, sizes). */
export const count: Check<number> = (value, path) => {
  if (typeof value !== 'number') fail(value, path, 'a non-negative integer')
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new ShapeError(path, `is ${value}, expected a non-negative integer`)
  }
  return value
}

/** A string matching `pattern`; `expected` says what it should look like. */
export function matching(pattern: RegExp, expected: string): Check<string> {
  return (value, path) => {
    const found = text(value, path)
    if (pattern.test(found)) return found
    const shown = JSON.stringify(found.length > 80 ? `${found.slice(0, 80)}…` : found)
    throw new ShapeError(path, `is ${shown}, expected ${expected}`)
  }
}

/** Exactly `expected` (a version number, say). */
export function exactly<T extends string | number>(expected: T): Check<T> {
  return (value, path) => {
    if (value === expected) return expected
    const shown =
      typeof value === 'number' || typeof value === 'string' ? JSON.stringify(value) : kindOf(value)
    throw new ShapeError(path, `is ${shown}, expected ${JSON.stringify(expected)}`)
  }
}

/** Absent or `null` (Go writes nil slices and maps as null) gives undefined. */
export function optional<T>(check: Check<T>): Check<T | undefined> {
  return (value, path) => (value === undefined || value === null ? undefined : check(value, path))
}

export function listOf<T>(check: Check<T>): Check<T[]> {
  return (value, path) => {
    if (!Array.isArray(value)) fail(value, path, 'an array')
    return value.map((item: unknown, i) => check(item, `${path}[${i}]`))
  }
}

/** An object with any keys, each value checked (annotations, labels). */
export function mapOf<T>(check: Check<T>): Check<Record<string, T>> {
  return (value, path) => {
    if (!isRecord(value)) fail(value, path, 'an object')
    const out: Record<string, T> = {}
    for (const [key, item] of Object.entries(value)) out[key] = check(item, field(path, key))
    return out
  }
}

/** An object with the fields `fields` lists; the result holds only those that are present. */
export function shape<T>(fields: Shape<T>): Check<T> {
  return (value, path) => {
    if (!isRecord(value)) fail(value, path, 'an object')
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(fields) as Array<keyof T & string>) {
      const checked = fields[key](value[key], field(path, key))
      if (checked !== undefined) out[key] = checked
    }
    return out as T
  }
}

/** Runs `check` on a whole document; a mismatch is a `UserError` that starts with `what`. */
export function validate<T>(check: Check<T>, value: unknown, what: string): T {
  try {
    return check(value, '')
  } catch (error: unknown) {
    if (!(error instanceof ShapeError)) throw error
    throw new UserError(`${what}: ${error.message}`, { cause: error })
  }
}
