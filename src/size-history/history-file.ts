/**
 * One file of the size-history store: the points of one image key recorded on one branch. Its
 * own versioned JSON shape (`schemaVersion`), read back as untrusted input: whoever can push to
 * the history branch can write anything into it, and a PR run reads it.
 */
import { createHash } from 'node:crypto'
import { PLATFORM_PATTERN } from '../model/platform.js'
import type { SizePoint } from '../model/size-history.js'
import { Fields, ReportFieldError } from '../report/json-check-untrusted.js'

/** Bump on any incompatible change; a reader refuses (and a writer leaves alone) a newer one. */
export const HISTORY_SCHEMA_VERSION = 1

/** Caps on what is read: a file past them is corrupt, not truncated. */
export const HISTORY_CAPS = {
  /** Bytes of one file's text */
  fileBytes: 4 * 1024 * 1024,
  /** Points in one file (the writer keeps at most MAX_POINTS, see thin.ts) */
  points: 2000,
  layerChanges: 5,
  /** Characters of a stored layer instruction (longer ones are cut when written) */
  instructionChars: 300,
  keyChars: 300,
  branchChars: 255,
  /** Layers of one image (the OCI limit in practice is 127; room for odd images) */
  layers: 10_000,
} as const

export interface HistoryFile {
  schemaVersion: typeof HISTORY_SCHEMA_VERSION
  /** The recorded branch, e.g. `main` */
  branch: string
  /** The image key every point has */
  key: string
  /** Oldest first */
  points: SizePoint[]
}

/** Why a stored file cannot be used: `newer` is one a later version of the action wrote. */
export class HistoryFileError extends Error {
  override name = 'HistoryFileError'
  constructor(
    message: string,
    readonly newer = false,
  ) {
    super(message)
  }
}

/**
 * Where a key's points for a branch live: `sizes/<branch>/<key>.json`, each name made of safe
 * characters plus 8 hex digits of its SHA-256, so `ghcr.io/org/app` and `ghcr.io_org/app` stay
 * apart and any key is one file name. One file per key: a run reads one file (one request), a
 * write touches one blob, and legs of a matrix that record different keys never edit the same file.
 */
export function historyFilePath(branch: string, key: string): string {
  return `sizes/${pathSegment(branch)}/${pathSegment(key)}.json`
}

/** The folder of a branch's files (the CLI lists it to find the keys). */
export function historyBranchFolder(branch: string): string {
  return `sizes/${pathSegment(branch)}`
}

function pathSegment(name: string): string {
  const readable = name
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/^[._-]+/, '')
    .slice(0, 60)
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8)
  return `${readable || 'key'}-${hash}`
}

/** The file's text: one point per line, so the branch's diffs read point by point. */
export function serialiseHistoryFile(file: Omit<HistoryFile, 'schemaVersion'>): string {
  const head = JSON.stringify({
    schemaVersion: HISTORY_SCHEMA_VERSION,
    branch: file.branch,
    key: file.key,
  })
  const points = file.points.map((point) => `    ${JSON.stringify(cleanPoint(point))}`)
  return `${head.slice(0, -1)},\n  "points": [\n${points.join(',\n')}\n  ]\n}\n`
}

/** A point as stored: instructions cut to the cap, at most 5 layer changes. */
function cleanPoint(point: SizePoint): SizePoint {
  if (!point.layerChanges) return point
  return {
    ...point,
    layerChanges: point.layerChanges.slice(0, HISTORY_CAPS.layerChanges).map((change) => ({
      instruction: cutText(change.instruction, HISTORY_CAPS.instructionChars),
      deltaBytes: change.deltaBytes,
    })),
  }
}

/**
 * `text` cut to at most `max` UTF-16 code units (what the reader's cap counts), never inside a
 * surrogate pair.
 */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text
  let cut = ''
  for (const char of text) {
    if (cut.length + char.length > max) break
    cut += char
  }
  return cut
}

const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/

/**
 * Parses and checks a stored file for `key` on `branch`: size first, then JSON, then every
 * field (types, ranges, lengths, the SHA and time formats), keeping only the fields it knows.
 * Throws a HistoryFileError naming the first bad field.
 */
export function parseHistoryFile(
  text: string,
  expected: { branch: string; key: string },
): HistoryFile {
  if (Buffer.byteLength(text) > HISTORY_CAPS.fileBytes)
    throw new HistoryFileError(`it is larger than ${HISTORY_CAPS.fileBytes} bytes`)
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new HistoryFileError('it is not JSON')
  }
  try {
    return readFile(json, expected)
  } catch (error) {
    if (error instanceof ReportFieldError) throw new HistoryFileError(error.message)
    throw error
  }
}

function readFile(json: unknown, expected: { branch: string; key: string }): HistoryFile {
  const file = Fields.of(json, '$')
  const version = file.integer('schemaVersion')
  if (version > HISTORY_SCHEMA_VERSION)
    throw new HistoryFileError(
      `its schemaVersion ${version} is newer than this version of image-size-gate reads (${HISTORY_SCHEMA_VERSION})`,
      true,
    )
  if (version !== HISTORY_SCHEMA_VERSION)
    throw new ReportFieldError('$.schemaVersion', `${HISTORY_SCHEMA_VERSION}`)
  const branch = file.string('branch', HISTORY_CAPS.branchChars)
  const key = file.string('key', HISTORY_CAPS.keyChars)
  if (branch !== expected.branch)
    throw new ReportFieldError('$.branch', JSON.stringify(expected.branch))
  if (key !== expected.key) throw new ReportFieldError('$.key', JSON.stringify(expected.key))
  const points = file.objects('points', HISTORY_CAPS.points, (fields) => readPoint(fields, key))
  return { schemaVersion: HISTORY_SCHEMA_VERSION, branch, key, points: sortPoints(points) }
}

function readPoint(point: Fields, key: string): SizePoint {
  const pointKey = point.string('key', HISTORY_CAPS.keyChars)
  if (pointKey !== key) throw new ReportFieldError(`${point.path}.key`, JSON.stringify(key))
  const sha = point.string('sha', 64)
  if (!SHA.test(sha))
    throw new ReportFieldError(`${point.path}.sha`, 'a commit SHA (40 hex digits)')
  const time = point.string('time', 40)
  if (!TIME.test(time) || !Number.isFinite(Date.parse(time)))
    throw new ReportFieldError(`${point.path}.time`, 'a UTC time such as 2026-01-31T12:00:00Z')
  const platform = point.has('platform') ? point.string('platform', 60) : undefined
  if (platform !== undefined && !PLATFORM_PATTERN.test(platform))
    throw new ReportFieldError(`${point.path}.platform`, 'a platform such as linux/arm64')
  const layers = point.integer('layers')
  if (layers > HISTORY_CAPS.layers)
    throw new ReportFieldError(`${point.path}.layers`, `at most ${HISTORY_CAPS.layers}`)
  const bytes = (name: string) => (point.has(name) ? point.integer(name) : undefined)
  const layerChanges = point.has('layerChanges')
    ? point.objects('layerChanges', HISTORY_CAPS.layerChanges, (change) => ({
        instruction: change.string('instruction', HISTORY_CAPS.instructionChars),
        deltaBytes: change.integer('deltaBytes', -Number.MAX_SAFE_INTEGER),
      }))
    : undefined
  return dropUndefined({
    sha,
    time,
    key,
    platform,
    uncompressedBytes: bytes('uncompressedBytes'),
    compressedBytes: bytes('compressedBytes'),
    layers,
    pullBytes: bytes('pullBytes'),
    reclaimableBytes: bytes('reclaimableBytes'),
    layerChanges,
  })
}

function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T
}

/** Oldest first; the same time in SHA order, so every reader sorts alike. */
export function sortPoints(points: SizePoint[]): SizePoint[] {
  return [...points].sort(
    (a, b) =>
      Date.parse(a.time) - Date.parse(b.time) || (a.sha < b.sha ? -1 : a.sha > b.sha ? 1 : 0),
  )
}
