/**
 * The `cache-from` and `cache-to` inputs, written as docker/build-push-action's users write
 * them: one cache per line (`type=registry,ref=ghcr.io/org/app:cache`, `type=gha`,
 * `type=local,src=/tmp/cache`, `type=inline`), or for cache-from a plain image reference.
 * Commas separate a cache's attributes; a field that starts with `type=`, or a plain reference,
 * starts the next cache, so `app:cache,app:main` is two caches. A line wrapped in double quotes
 * is read without them (csv-parse, as build-push-action reads its list inputs).
 * Formats: https://docs.docker.com/build/cache/backends/
 */
import { problem } from '../budget/budget.js'
import { parseDockerReference } from '../model/reference.js'
import type { InputProblem } from '../util/errors.js'

export type CacheInput = 'cache-from' | 'cache-to'

/** One cache, as docker's --cache-from / --cache-to take it. */
export interface CacheEntry {
  /** `type=…,key=value,…` as written (trimmed), or the plain image reference */
  text: string
  /** The backend; `image` for a plain reference (cache-from only) */
  type: string
}

/** Backends buildx reads a cache from, and writes one to. */
const FROM_TYPES = ['registry', 'local', 'gha', 's3', 'azblob']
const TO_TYPES = ['registry', 'local', 'gha', 'inline', 's3', 'azblob']
/** The attribute a backend cannot do without, per input */
const REQUIRED: Record<CacheInput, Record<string, string>> = {
  'cache-from': { registry: 'ref', local: 'src' },
  'cache-to': { registry: 'ref', local: 'dest' },
}
const KEY = /^[a-z][a-z0-9_-]*$/
/** Attributes that carry credentials (gha's token, s3's keys, azblob's secret access key) */
const SECRET_KEY = /token|secret|password|access_key/i

/** The entry as logs and messages show it: credential attributes' values as `***`. */
export function showCacheEntry(text: string): string {
  return text
    .split(',')
    .map((field) => {
      const eq = field.indexOf('=')
      return eq > 0 && SECRET_KEY.test(field.slice(0, eq)) ? `${field.slice(0, eq)}=***` : field
    })
    .join(',')
}

/** The caches of one input, or one problem per bad entry (each naming the input). */
export function parseCacheEntries(
  input: CacheInput,
  text: string,
): { entries: CacheEntry[] } | { problems: InputProblem[] } {
  const entries: CacheEntry[] = []
  const problems: InputProblem[] = []
  for (const line of text.split(/\r?\n/)) {
    for (const fields of groupFields(unquote(line.trim()))) {
      const entryText = fields.join(',')
      const expected = checkEntry(input, fields)
      if (expected) problems.push(problem(input, showCacheEntry(entryText), expected))
      else entries.push({ text: entryText, type: typeOf(fields) })
    }
  }
  return problems.length > 0 ? { problems } : { entries }
}

function unquote(line: string): string {
  return line.length >= 2 && line.startsWith('"') && line.endsWith('"')
    ? line.slice(1, -1).replace(/""/g, '"').trim()
    : line
}

/** A line's comma-separated fields, one group per cache: `type=` or a plain reference starts one. */
function groupFields(line: string): string[][] {
  const groups: string[][] = []
  for (const field of line.split(',').map((f) => f.trim())) {
    if (field === '') continue
    const starts = field.startsWith('type=') || !field.includes('=')
    const last = groups.at(-1)
    // An attribute after a plain reference is an error checkEntry reports with the reference.
    if (starts || !last) groups.push([field])
    else last.push(field)
  }
  return groups
}

function typeOf(fields: string[]): string {
  const first = fields[0] ?? ''
  return first.startsWith('type=') ? first.slice('type='.length) : 'image'
}

/** What the entry should have been, or null when it is fine. */
function checkEntry(input: CacheInput, fields: string[]): string | null {
  const types = input === 'cache-from' ? FROM_TYPES : TO_TYPES
  const exporters = `type=${types.join(', type=')} with its attributes (type=registry,ref=IMAGE)`
  const first = fields[0] ?? ''
  if (!first.includes('=')) return checkPlain(input, fields, exporters)
  if (!first.startsWith('type=')) return `a cache starting with type=, one of ${exporters}`
  const attributes = new Map<string, string>()
  for (const field of fields) {
    const eq = field.indexOf('=')
    const key = field.slice(0, eq)
    if (eq < 1 || !KEY.test(key)) return `key=value attributes, not "${field}"`
    if (attributes.has(key)) return `each attribute once, but "${key}" is given twice`
    attributes.set(key, field.slice(eq + 1).trim())
  }
  const type = attributes.get('type') ?? ''
  if (type === 'inline' && input === 'cache-from') {
    return 'a cache to read; an inline cache is read from its image: type=registry,ref=IMAGE or the plain reference (type=inline is for cache-to)'
  }
  if (!types.includes(type)) return `a known cache type: ${exporters}`
  const required = REQUIRED[input][type]
  if (required && !attributes.get(required)) return `type=${type} with ${required}=…`
  const ref = attributes.get('ref')
  if (ref !== undefined && 'error' in parseDockerReference(ref)) {
    return `ref= to be an image reference such as ghcr.io/org/app:cache`
  }
  const mode = attributes.get('mode')
  if (mode !== undefined && input === 'cache-from') return 'no mode= (it is for cache-to)'
  if (mode !== undefined && mode !== 'min' && mode !== 'max') return 'mode=min or mode=max'
  return null
}

function checkPlain(input: CacheInput, fields: string[], exporters: string): string | null {
  const text = fields.join(',')
  if (input === 'cache-to') return `a cache to write: ${exporters}, not a plain reference`
  if (fields.length > 1) return `a plain image reference, or type=registry,ref=${fields[0]},…`
  if ('error' in parseDockerReference(text)) {
    return 'an image reference such as ghcr.io/org/app:cache, or type=…'
  }
  return null
}

/**
 * Why these caches cannot be used without buildx, as one line naming the input and what to
 * do; null when they can. The docker CLI without buildx runs the classic builder, which takes
 * `--cache-from IMAGE` and nothing else (no backends, no cache export).
 */
export function cacheNeedsBuildx(cache: { from: CacheEntry[]; to: CacheEntry[] }): string | null {
  const fix =
    'needs docker buildx, which this docker CLI does not have: add docker/setup-buildx-action before this step'
  const to = cache.to[0]
  if (to) return `Input "cache-to" ("${showCacheEntry(to.text)}") ${fix}, or remove cache-to.`
  const from = cache.from.find((entry) => entry.type !== 'image')
  if (from) {
    return `Input "cache-from" ("${showCacheEntry(from.text)}") ${fix}, or give cache-from as plain image references (the classic builder reads only those).`
  }
  return null
}
