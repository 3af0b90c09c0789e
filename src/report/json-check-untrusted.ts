/**
 * Field readers for untrusted JSON (a report from another job or a fork): each checks one
 * field's type, range, length or enum and throws a ReportFieldError naming its JSON path.
 */

/** A bad field: `path` is its JSON path, e.g. `$.entries[0].layers[3].headBytes` */
export class ReportFieldError extends Error {
  constructor(
    readonly path: string,
    readonly expected: string,
  ) {
    super(`${path}: expected ${expected}`)
    this.name = 'ReportFieldError'
  }
}

/** Longest string kept from a report, in UTF-16 code units (a long RUN line fits) */
export const MAX_STRING_CHARS = 20_000

/** One JSON object being read, with the path of each field for the error message. */
export class Fields {
  constructor(
    readonly path: string,
    private readonly value: Record<string, unknown>,
  ) {}

  static of(value: unknown, path: string): Fields {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new ReportFieldError(path, 'an object')
    return new Fields(path, value as Record<string, unknown>)
  }

  private at(key: string): string {
    return `${this.path}.${key}`
  }

  private raw(key: string): unknown {
    return Object.prototype.hasOwnProperty.call(this.value, key) ? this.value[key] : undefined
  }

  has(key: string): boolean {
    return this.raw(key) !== undefined && this.raw(key) !== null
  }

  object(key: string): Fields {
    return Fields.of(this.raw(key), this.at(key))
  }

  objectOrNull(key: string): Fields | undefined {
    return this.raw(key) === null ? undefined : this.object(key)
  }

  string(key: string, maxChars = MAX_STRING_CHARS): string {
    return checkString(this.raw(key), this.at(key), maxChars)
  }

  stringOrNull(key: string, maxChars = MAX_STRING_CHARS): string | undefined {
    return this.raw(key) === null ? undefined : this.string(key, maxChars)
  }

  oneOf<T extends string>(key: string, values: readonly T[]): T {
    const value = this.raw(key)
    if (typeof value !== 'string' || !(values as readonly string[]).includes(value))
      throw new ReportFieldError(this.at(key), `one of ${values.join(', ')}`)
    return value as T
  }

  boolean(key: string): boolean {
    const value = this.raw(key)
    if (typeof value !== 'boolean') throw new ReportFieldError(this.at(key), 'true or false')
    return value
  }

  optionalBoolean(key: string): boolean | undefined {
    return this.raw(key) === undefined ? undefined : this.boolean(key)
  }

  /** An integer from `min` to Number.MAX_SAFE_INTEGER (signed when min is negative) */
  integer(key: string, min = 0): number {
    return checkInteger(this.raw(key), this.at(key), min)
  }

  integerOrNull(key: string, min = 0): number | undefined {
    return this.raw(key) === null ? undefined : this.integer(key, min)
  }

  /** A finite number (percentages, ratios) */
  number(key: string): number {
    const value = this.raw(key)
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw new ReportFieldError(this.at(key), 'a finite number')
    return value
  }

  numberOrNull(key: string): number | undefined {
    return this.raw(key) === null ? undefined : this.number(key)
  }

  /** An array of at most `max` items, each read by `read` at its own path */
  array<T>(key: string, max: number, read: (item: unknown, path: string) => T): T[] {
    const value = this.raw(key)
    const path = this.at(key)
    if (!Array.isArray(value)) throw new ReportFieldError(path, 'an array')
    if (value.length > max) throw new ReportFieldError(path, `at most ${max} items`)
    return value.map((item, i) => read(item, `${path}[${i}]`))
  }

  arrayOrNull<T>(
    key: string,
    max: number,
    read: (item: unknown, path: string) => T,
  ): T[] | undefined {
    return this.raw(key) === null || this.raw(key) === undefined
      ? undefined
      : this.array(key, max, read)
  }

  /** Objects only: each item read through its Fields */
  objects<T>(key: string, max: number, read: (fields: Fields) => T): T[] {
    return this.array(key, max, (item, path) => read(Fields.of(item, path)))
  }
}

export function checkString(value: unknown, path: string, maxChars = MAX_STRING_CHARS): string {
  if (typeof value !== 'string') throw new ReportFieldError(path, 'a string')
  if (value.length > maxChars) throw new ReportFieldError(path, `at most ${maxChars} characters`)
  return value
}

export function checkInteger(value: unknown, path: string, min = 0): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min)
    throw new ReportFieldError(path, `an integer of at least ${min}`)
  return value
}
