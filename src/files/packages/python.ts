/**
 * Python distributions: `*.dist-info/METADATA` (sizes from the `RECORD` beside it) and
 * `*.egg-info/PKG-INFO` or a file-form `*.egg-info`; and PEP 440's version ordering.
 * Formats: https://packaging.python.org/en/latest/specifications/core-metadata/ and
 * https://packaging.python.org/en/latest/specifications/recording-installed-packages/
 */
import type { PackageRecord } from '../../model/files.js'
import type { DatabaseText } from './index.js'
import { MAX_ORDERED_VERSION_LENGTH } from './text.js'

const DIST_INFO_METADATA = /\.dist-info\/METADATA$/
const DIST_INFO_RECORD = /\.dist-info\/RECORD$/
const EGG_INFO = /\.egg-info(\/PKG-INFO)?$/

/** Whether `path` holds a distribution's name and version */
export function isPythonMetadata(path: string): boolean {
  return DIST_INFO_METADATA.test(path) || EGG_INFO.test(path)
}

/** Whether `path` is a wheel install's RECORD (file list with sizes) */
export function isPythonRecord(path: string): boolean {
  return DIST_INFO_RECORD.test(path)
}

/** The directory a METADATA or RECORD sits in (`…/x.dist-info`) */
export function parentDirectory(path: string): string {
  return path.slice(0, path.lastIndexOf('/'))
}

/** The `Name` and `Version` headers (RFC 822 style, up to the first blank line). */
function readHeaders(text: string): { name?: string; version?: string } {
  const found: { name?: string; version?: string } = {}
  let start = 0
  while (start < text.length) {
    let end = text.indexOf('\n', start)
    if (end < 0) end = text.length
    const line = text.slice(start, end).replace(/\r$/, '')
    start = end + 1
    if (line.trim() === '') break
    const colon = line.indexOf(':')
    if (colon <= 0 || line[0] === ' ' || line[0] === '\t') continue
    const field = line.slice(0, colon).toLowerCase()
    if (field === 'name' && found.name === undefined) found.name = line.slice(colon + 1).trim()
    if (field === 'version' && found.version === undefined)
      found.version = line.slice(colon + 1).trim()
    if (found.name !== undefined && found.version !== undefined) break
  }
  return found
}

/** The third CSV field of a RECORD line (fields may be quoted, `""` inside quotes is a quote). */
function thirdField(line: string): string | undefined {
  let field = 0
  let i = 0
  while (i <= line.length) {
    let value = ''
    if (line[i] === '"') {
      i++
      while (i < line.length) {
        if (line[i] === '"') {
          if (line[i + 1] !== '"') break
          i++
        }
        value += line[i]
        i++
      }
      i++ // closing quote
      const comma = line.indexOf(',', i)
      i = comma < 0 ? line.length + 1 : comma + 1
    } else {
      const comma = line.indexOf(',', i)
      const end = comma < 0 ? line.length : comma
      value = line.slice(i, end)
      i = end + 1
    }
    if (field === 2) return value
    field++
  }
  return undefined
}

/** The installed bytes a RECORD lists, or null when it was cut short. */
export function sumRecord(record: DatabaseText): number | null {
  if (record.truncated) return null
  let total = 0
  let start = 0
  const text = record.text
  while (start < text.length) {
    let end = text.indexOf('\n', start)
    if (end < 0) end = text.length
    const line = text.slice(start, end).replace(/\r$/, '')
    start = end + 1
    const size = line.endsWith(',') ? undefined : thirdField(line)
    if (size !== undefined && /^\d{1,15}$/.test(size)) total += Number(size)
  }
  return total
}

/**
 * The distribution a METADATA / PKG-INFO text names; `records` maps a `.dist-info`
 * directory to its RECORD. A file without both Name and Version is skipped.
 */
export function readPython(
  db: DatabaseText,
  records: ReadonlyMap<string, DatabaseText>,
): PackageRecord | undefined {
  const { name, version } = readHeaders(db.text)
  if (name === undefined || name === '' || version === undefined || version === '') return undefined
  const record = DIST_INFO_METADATA.test(db.path)
    ? records.get(parentDirectory(db.path))
    : undefined
  return {
    manager: 'python',
    name,
    version,
    bytes: record === undefined ? null : sumRecord(record),
    path: db.path,
    layer: db.layer,
  }
}

/** PEP 503's normalised name: distributions `PyYAML` and `pyyaml` are one project */
export function normalisePythonName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-')
}

const PEP440 =
  /^v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?(\d+)?)?(?:-(\d+)|[-_.]?(post|rev|r)[-_.]?(\d+)?)?(?:[-_.]?(dev)[-_.]?(\d+)?)?(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?$/i

/** A sort key: each element compared in turn, numbers by value, arrays element-wise */
type Key = Array<number | string | Key>

const PRE_RANK: Record<string, number> = {
  a: 0,
  alpha: 0,
  b: 1,
  beta: 1,
  c: 2,
  rc: 2,
  pre: 2,
  preview: 2,
}

function pep440Key(version: string): Key | undefined {
  const text = version.trim()
  if (text.length > MAX_ORDERED_VERSION_LENGTH) return undefined
  const m = PEP440.exec(text)
  if (m === null) return undefined
  const release = m[2].split('.').map(Number)
  while (release.length > 1 && release[release.length - 1] === 0) release.pop()
  const hasPost = m[5] !== undefined || m[6] !== undefined
  const hasDev = m[8] !== undefined
  // 1.0.dev1 < 1.0a1 < 1.0 < 1.0.post1; a dev release of a final release sorts before its pre-releases
  let pre: Key
  if (m[3] !== undefined) pre = [PRE_RANK[m[3].toLowerCase()], Number(m[4] ?? 0)]
  else pre = hasDev && !hasPost ? [-Infinity] : [Infinity]
  const post = hasPost ? Number(m[5] ?? m[7] ?? 0) : -Infinity
  const dev = hasDev ? Number(m[9] ?? 0) : Infinity
  // no local label sorts first; numeric segments after alphanumeric ones
  const local: Key =
    m[10] === undefined
      ? []
      : m[10]
          .toLowerCase()
          .split(/[-_.]/)
          .map((part) => (/^\d+$/.test(part) ? [1, Number(part)] : [0, part]))
  return [Number(m[1] ?? 0), release, pre, post, dev, local]
}

function compareKeys(a: Key, b: Key): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]
    const y = b[i]
    let c = 0
    if (Array.isArray(x) && Array.isArray(y)) c = compareKeys(x, y)
    else if (x !== y) c = x < y ? -1 : 1
    if (c !== 0) return c
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1
}

/** PEP 440 ordering of two versions: -1, 0, 1, or undefined when either is not a PEP 440 version. */
export function comparePep440(a: string, b: string): number | undefined {
  const left = pep440Key(a)
  const right = pep440Key(b)
  if (left === undefined || right === undefined) return undefined
  return compareKeys(left, right)
}
