import { createHash } from 'node:crypto'
import type { Acceptance } from '../budget/accept.js'
import { plainText, wordFinding } from '../format/finding-words.js'
import type { Words } from '../format/words.js'
import type { ImageInfo, ImageOrigin } from '../model/image.js'
import type { BuildTime } from '../model/build-time.js'
import type { Finding } from '../model/finding.js'
import { toJsonFiles, type JsonFiles } from './files-json.js'
import type { Report, ReportEntry } from './report.js'

/**
 * The JSON report users consume (`report-path` output, `--format json`). Its own versioned
 * shape, documented in docs/report-schema.md: bump SCHEMA_VERSION on any incompatible change,
 * SCHEMA_MINOR when fields are added (reset to 0 with a new version). Unknown figures are
 * `null`, never 0.
 */
export const SCHEMA_VERSION = 1
/**
 * 1: `files` per entry, and `inBase`, `hint`, `paths` on findings (issue 9);
 * 2: `acceptance`, and `accepted` on budgets (issue 10, deliberate increases);
 * 3: `origin` on images, `noBaselineLog` on entries, `kind`, `detailWords`, `fixWords` on
 * findings (issue 10: enough to render a report read back from its file exactly as the run that
 * wrote it did);
 * 4: `builds`, how long build mode took to build each image (issue 10, item 7).
 */
export const SCHEMA_MINOR = 4

/**
 * Longest report file name, in characters (all ASCII): far below the 255 bytes file systems
 * allow in one name, whatever the comment key.
 */
export const REPORT_NAME_MAX_CHARS = 120

/**
 * `report-<key>.json`, the key's characters outside [A-Za-z0-9._-] as `_`. A key too long to
 * fit keeps its start and gets 16 hex digits of its hash, so long keys stay distinct.
 */
export function reportFileName(key: string): string {
  const safe = key.replace(/[^A-Za-z0-9._-]+/g, '_')
  const name = `report-${safe}.json`
  if (name.length <= REPORT_NAME_MAX_CHARS) return name
  const hash = createHash('sha256').update(key).digest('hex').slice(0, 16)
  const room = REPORT_NAME_MAX_CHARS - 'report-'.length - '.json'.length - hash.length - 1
  return `report-${safe.slice(0, room)}-${hash}.json`
}

export interface JsonImage {
  reference: string
  id: string | null
  digest: string | null
  platform: string | null
  source: string
  store: string | null
  engineVersion: string | null
  /** The engine's address, without credentials (engine images only) */
  engineHost: string | null
  /** The docker CLI context that chose the engine; null for DOCKER_HOST or the default socket */
  engineContext: string | null
  sizeOrigin: 'history' | 'layer-content'
  sizeBytes: number | null
  compressedBytes: number | null
  layerCount: number
  /** Since 1.2: where the image was read from, as the footer words it */
  origin: JsonOrigin
}

/** ImageOrigin without the engine address (engineHost and engineContext say it) */
export type JsonOrigin =
  | Omit<Extract<ImageOrigin, { kind: 'engine' }>, 'endpoint'>
  | Extract<ImageOrigin, { kind: 'registry' }>
  | Extract<ImageOrigin, { kind: 'archive' }>

export interface JsonReport {
  schemaVersion: typeof SCHEMA_VERSION
  schemaMinor: typeof SCHEMA_MINOR
  tool: { name: 'image-size-gate'; version: string }
  verdict: 'pass' | 'warn' | 'fail'
  entries: JsonEntry[]
  /** A deliberate increase the PR claimed (label or description line); absent when none */
  acceptance?: JsonAcceptance
  /** Since 1.4: how long build mode took per image; absent when no image was built */
  builds?: { head: JsonBuildTime | null; base: JsonBuildTime | null }
}

export interface JsonBuildTime {
  /** Wall-clock seconds of the build command, to the hundredth */
  seconds: number
  /** Build steps the builder reported, and those it took from its cache; null when unknown */
  steps: number | null
  cachedSteps: number | null
  /** true: the build failed (a base that does not build) */
  failed: boolean
}

export interface JsonAcceptance {
  status: 'accepted' | 'refused'
  via: 'label' | 'body'
  label: string | null
  /** Who applied the label, or the PR's author for the description: untrusted text */
  by: string
  /** ISO 8601 time the label was applied; null for the description */
  at: string | null
  byAuthor: boolean
  amount: string | null
  reason: string | null
  /** The budgets it turned from fail into warn */
  budgets: string[]
}

export interface JsonEntry {
  platform: string | null
  basis: 'uncompressed' | 'compressed'
  verdict: 'pass' | 'warn' | 'fail'
  noBaseline: string | null
  /** Since 1.2: the end of the base build's log when the base could not be built (untrusted) */
  noBaselineLog: string[] | null
  base: JsonImage | null
  head: JsonImage
  totals: {
    baseBytes: number | null
    headBytes: number | null
    deltaBytes: number | null
    deltaPercent: number | null
  }
  pull: { baseBytes: number | null; headBytes: number | null; newBytes: number | null } | null
  budgets: Array<{
    key: string
    status: string
    unit: string
    limit: number
    actual: number | null
    overshoot: number | null
    message: string
    /** true: a failure the PR accepted, now a warning; absent otherwise */
    accepted?: true
  }>
  layers: Array<{
    change: string
    basePosition: number | null
    headPosition: number | null
    instruction: string
    diffId: string
    baseBytes: number | null
    headBytes: number | null
    deltaBytes: number | null
  }>
  /** Why the image grew, largest first (explainGrowth); empty when it did not */
  findings: JsonFinding[]
  /** What the files say; null when the files were not analysed */
  files: JsonFiles | null
  notes: string[]
}

export interface JsonFinding {
  key: string
  title: string
  layers: number[]
  bytes: number | null
  detail: string
  fix: string
  /** Already true of the base image: does not count against the PR (only when known) */
  inBase?: boolean
  /** Read from the instructions alone, no file evidence (only when known) */
  hint?: boolean
  /** The largest evidence paths (only when the finding has file evidence) */
  paths?: Array<{ path: string; bytes: number; layer: number }>
  /** Since 1.2: the evidence kind (model/finding.ts) */
  kind: string
  /** Since 1.2: `detail` and `fix` as prose and inline code (`{ "code": "…" }`) */
  detailWords: Words
  fixWords: Words
}

/**
 * The evidence fields a finding may carry (issue 9), read structurally so the report does not
 * depend on which fields the finding type declares.
 */
interface FindingEvidence {
  inBase?: unknown
  hint?: unknown
  paths?: unknown
}

const orNull = <T>(value: T | undefined): T | null => (value === undefined ? null : value)

export function toJsonReport(report: Report, toolVersion: string): JsonReport {
  return {
    schemaVersion: SCHEMA_VERSION,
    schemaMinor: SCHEMA_MINOR,
    tool: { name: 'image-size-gate', version: toolVersion },
    verdict: report.verdict,
    entries: report.entries.map(toJsonEntry),
    ...(report.acceptance ? { acceptance: toJsonAcceptance(report.acceptance) } : {}),
    ...(report.builds
      ? { builds: { head: toJsonBuild(report.builds.head), base: toJsonBuild(report.builds.base) } }
      : {}),
  }
}

function toJsonBuild(time: BuildTime | undefined): JsonBuildTime | null {
  if (!time) return null
  return {
    seconds: Math.round(time.seconds * 100) / 100,
    steps: orNull(time.steps),
    cachedSteps: orNull(time.cachedSteps),
    failed: time.failed === true,
  }
}

function toJsonAcceptance(a: Acceptance): JsonAcceptance {
  return {
    ...{ status: a.status, via: a.via, label: orNull(a.label), by: a.by, at: orNull(a.at) },
    ...{ byAuthor: a.byAuthor, amount: orNull(a.amount), reason: orNull(a.reason) },
    budgets: a.rules,
  }
}

function toJsonEntry(entry: ReportEntry): JsonEntry {
  const c = entry.comparison
  return {
    platform: orNull(entry.label),
    basis: c.basis,
    verdict: entry.verdict,
    noBaseline: orNull(c.noBaseline),
    noBaselineLog: orNull(c.noBaselineLog),
    base: c.base ? toJsonImage(c.base, c.totals.baseBytes, c.pull?.baseBytes) : null,
    head: toJsonImage(c.head, c.totals.headBytes, c.pull?.headBytes),
    totals: {
      baseBytes: orNull(c.totals.baseBytes),
      headBytes: orNull(c.totals.headBytes),
      deltaBytes: orNull(c.totals.deltaBytes),
      deltaPercent: orNull(c.totals.deltaPercent),
    },
    pull: c.pull
      ? {
          baseBytes: orNull(c.pull.baseBytes),
          headBytes: orNull(c.pull.headBytes),
          newBytes: orNull(c.pull.newBytes),
        }
      : null,
    budgets: entry.rules.map((r) => ({
      key: r.key,
      status: r.status,
      unit: r.unit,
      limit: r.limit,
      actual: orNull(r.actual),
      overshoot: orNull(r.overshoot),
      message: r.message,
      ...(r.accepted ? { accepted: true as const } : {}),
    })),
    layers: c.layers.map((l) => ({
      change: l.change,
      basePosition: orNull(l.basePosition),
      headPosition: orNull(l.headPosition),
      instruction: l.instruction,
      diffId: l.diffId,
      baseBytes: orNull(l.baseBytes),
      headBytes: orNull(l.headBytes),
      deltaBytes: orNull(l.deltaBytes),
    })),
    findings: entry.findings.map(toJsonFinding),
    files: toJsonFiles(entry.files),
    notes: c.notes,
  }
}

function toJsonFinding(f: Finding): JsonFinding {
  const words = wordFinding(f)
  const json: JsonFinding = {
    key: f.key,
    title: words.title,
    layers: f.layers,
    bytes: orNull(f.bytes),
    detail: plainText(words.detail),
    fix: plainText(words.fix),
    kind: f.evidence.kind === 'reported' ? f.evidence.of : f.evidence.kind,
    detailWords: words.detail,
    fixWords: words.fix,
  }
  const evidence = f as Finding & FindingEvidence
  if (typeof evidence.inBase === 'boolean') json.inBase = evidence.inBase
  if (typeof evidence.hint === 'boolean') json.hint = evidence.hint
  if (Array.isArray(evidence.paths)) json.paths = evidence.paths.map(toJsonPath)
  return json
}

/** `{ path, bytes, layer }`, and nothing else the object may hold */
function toJsonPath(p: { path: string; bytes: number; layer: number }) {
  return { path: p.path, bytes: p.bytes, layer: p.layer }
}

function toJsonImage(image: ImageInfo, sizeBytes?: number, compressedBytes?: number): JsonImage {
  const p = image.platform
  return {
    reference: image.reference,
    id: orNull(image.id),
    digest: orNull(image.digest),
    platform: p ? [p.os, p.architecture, p.variant].filter(Boolean).join('/') : null,
    source: image.origin.kind,
    store: image.origin.kind === 'engine' ? image.origin.store : null,
    engineVersion: image.origin.kind === 'engine' ? image.origin.engineVersion : null,
    engineHost: (image.origin.kind === 'engine' && image.origin.endpoint?.host) || null,
    engineContext: (image.origin.kind === 'engine' && image.origin.endpoint?.context) || null,
    sizeOrigin: image.sizeOrigin,
    sizeBytes: orNull(sizeBytes),
    compressedBytes: orNull(compressedBytes),
    layerCount: image.layers.length,
    origin: toJsonOrigin(image.origin),
  }
}

function toJsonOrigin(origin: ImageOrigin): JsonOrigin {
  if (origin.kind !== 'engine') return { ...origin }
  const { kind, store, driver, engineVersion, apiVersion } = origin
  return { kind, store, driver, engineVersion, apiVersion }
}
