/**
 * Reads a JSON report that this action wrote (json-report.ts, docs/report-schema.md) back into
 * the internal Report, so the usual renderers render it and escape every string again. The
 * file is untrusted (another job's artifact, a fork's run): its size is capped before it is
 * parsed, every field used is checked (type, range, enum, length), arrays are capped, an
 * unknown schemaVersion is refused, and keys that could pollute prototypes are refused.
 */
import { open } from 'node:fs/promises'
import { normaliseInstruction } from '../model/instruction.js'
import type { Evidence, EvidenceKind, Finding } from '../model/finding.js'
import type { ImageInfo, ImageOrigin, Layer } from '../model/image.js'
import type { RuleResult } from '../budget/rules.js'
import type { LayerDiff } from '../compare/compare.js'
import { worstVerdict, type Verdict } from '../model/verdict.js'
import { UserError } from '../util/errors.js'
import { readJsonFiles } from './read-report-files.js'
import { readBuildTimes } from './read-build-times.js'
import { Fields, ReportFieldError, checkString } from './json-check-untrusted.js'
import { SCHEMA_VERSION } from './json-report.js'
import type { Report, ReportEntry } from './report.js'

/** Largest report file read, bytes */
export const MAX_REPORT_BYTES = 5 * 1024 * 1024

/** Caps on the arrays of a report */
export const REPORT_CAPS = {
  entries: 64,
  layers: 1000,
  budgets: 100,
  findings: 200,
  paths: 100,
  notes: 100,
  logLines: 200,
  words: 500,
} as const

const VERDICTS = ['pass', 'warn', 'fail'] as const
const STATUSES = ['pass', 'warn', 'fail', 'skip'] as const
const UNITS = ['bytes', 'percent', 'layers', 'ratio', 'files'] as const
const CHANGES = ['unchanged', 'changed', 'added', 'removed'] as const
const EVIDENCE_KINDS = [
  'fat-base-image',
  'cache-files',
  'build-tool-files',
  'context-files',
  'secret-files',
  'hidden-copies',
  'dev-packages',
  'build-tools-in-final-image',
  'package-cache-left',
  'deleted-in-later-layer',
  'broad-copy',
  'dev-dependencies',
  'metadata-copy-up',
] as const satisfies ReadonlyArray<Exclude<EvidenceKind, 'reported'>>
/** Keys a parsed object must never hold: they could reach a prototype in careless code */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

/** Reads and checks the report at `path`; a UserError naming the file and the field otherwise. */
export async function readReportFile(path: string): Promise<Report> {
  const text = await readCapped(path)
  try {
    return parseReport(text)
  } catch (error) {
    if (error instanceof ReportFieldError || error instanceof SyntaxError)
      throw new UserError(`The report ${path} is not valid: ${error.message}`)
    throw error
  }
}

/** At most MAX_REPORT_BYTES, never more read into memory, as UTF-8 */
async function readCapped(path: string): Promise<string> {
  let handle
  try {
    handle = await open(path, 'r')
  } catch (error) {
    throw new UserError(`Cannot read the report ${path}: ${(error as Error).message}`)
  }
  try {
    const buffer = Buffer.alloc(MAX_REPORT_BYTES + 1)
    let filled = 0
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled)
      if (bytesRead === 0) break
      filled += bytesRead
    }
    if (filled > MAX_REPORT_BYTES)
      throw new UserError(`The report ${path} is over ${MAX_REPORT_BYTES} bytes: not read`)
    return buffer.subarray(0, filled).toString('utf8')
  } finally {
    await handle.close()
  }
}

/** The report in `text`; throws SyntaxError or ReportFieldError */
export function parseReport(text: string): Report {
  const json: unknown = JSON.parse(text)
  refuseForbiddenKeys(json, '$')
  const root = Fields.of(json, '$')
  if (root.integer('schemaVersion', 0) !== SCHEMA_VERSION)
    throw new ReportFieldError('$.schemaVersion', `${SCHEMA_VERSION} (a report this version reads)`)
  if (root.object('tool').string('name', 100) !== 'image-size-gate')
    throw new ReportFieldError('$.tool.name', '"image-size-gate"')
  const entries = root.objects('entries', REPORT_CAPS.entries, readEntry)
  if (entries.length === 0) throw new ReportFieldError('$.entries', 'at least one entry')
  const verdict = root.oneOf('verdict', VERDICTS)
  checkVerdict('$.verdict', verdict, worstVerdict(entries.map((e) => e.claimed)), 'entries')
  // Worked out again from the budgets, as the gate works it out: neither the file's verdicts nor
  // its `acceptance` (never read) are trusted; the reader applies its own acceptance.
  return {
    entries: entries.map((e) => e.entry),
    verdict: worstVerdict(entries.map((e) => e.entry.verdict)),
    ...readBuildTimes(root),
  }
}

/**
 * A report whose verdicts are not the ones its budgets give (as written: an accepted increase
 * is a budget the accepting run made `warn`) is refused: it was edited, or is not ours.
 */
function checkVerdict(path: string, claimed: Verdict, worked: Verdict, of: string): void {
  if (claimed !== worked) throw new ReportFieldError(path, `${worked} (the worst of its ${of})`)
}

/** JSON.parse makes `__proto__` an own key (harmless there); refused all the same, with its path */
function refuseForbiddenKeys(value: unknown, path: string, depth = 0): void {
  if (depth > 64) throw new ReportFieldError(path, 'at most 64 levels of nesting')
  if (Array.isArray(value)) {
    value.forEach((item, i) => refuseForbiddenKeys(item, `${path}[${i}]`, depth + 1))
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (FORBIDDEN_KEYS.has(key))
        throw new ReportFieldError(`${path}.${key}`, 'no such key (it could reach a prototype)')
      refuseForbiddenKeys(item, `${path}.${key}`, depth + 1)
    }
  }
}

function readEntry(e: Fields): { entry: ReportEntry; claimed: Verdict } {
  const basis = e.oneOf('basis', ['uncompressed', 'compressed'] as const)
  const claimed = e.oneOf('verdict', VERDICTS)
  const written = e.objects('budgets', REPORT_CAPS.budgets, readRule)
  checkVerdict(`${e.path}.verdict`, claimed, worstVerdict(written.map((r) => r.status)), 'budgets')
  // An accepted budget is read as the failure it was: an acceptance is the PR's (its label or
  // description, read from the API by whoever publishes), never the file's.
  const rules = written.map(({ accepted, ...rule }) =>
    accepted ? { ...rule, status: 'fail' as const } : rule,
  )
  const totals = e.object('totals')
  const pull = e.objectOrNull('pull')
  const base = e.objectOrNull('base')
  const layers = e.objects('layers', REPORT_CAPS.layers, readLayer)
  return {
    claimed,
    entry: {
      label: e.stringOrNull('platform', 200),
      verdict: worstVerdict(rules.map((r) => r.status)),
      rules,
      findings: e.objects('findings', REPORT_CAPS.findings, readFinding),
      files: e.has('files') ? readJsonFiles(e.object('files')) : undefined,
      comparison: {
        basis,
        base: base ? readImage(base) : undefined,
        head: readImage(e.object('head')),
        noBaseline: e.stringOrNull('noBaseline', 2000),
        noBaselineLog: e.arrayOrNull('noBaselineLog', REPORT_CAPS.logLines, (v, p) =>
          checkString(v, p, 2000),
        ),
        layers,
        totals: {
          baseBytes: totals.integerOrNull('baseBytes'),
          headBytes: totals.integerOrNull('headBytes'),
          deltaBytes: totals.integerOrNull('deltaBytes', Number.MIN_SAFE_INTEGER),
          deltaPercent: totals.numberOrNull('deltaPercent'),
        },
        pull: pull && {
          baseBytes: pull.integerOrNull('baseBytes'),
          headBytes: pull.integerOrNull('headBytes'),
          newBytes: pull.integerOrNull('newBytes'),
          ...percentOf(pull),
        },
        notes: e.array('notes', REPORT_CAPS.notes, (v, p) => checkString(v, p, 2000)),
      },
    },
  }
}

/** The pull change, derived as compare.ts derives it (the report does not store it) */
function percentOf(pull: Fields): { deltaBytes?: number; deltaPercent?: number } {
  const base = pull.integerOrNull('baseBytes')
  const head = pull.integerOrNull('headBytes')
  if (base === undefined || head === undefined) return {}
  return { deltaBytes: head - base, deltaPercent: base ? ((head - base) / base) * 100 : undefined }
}

function readLayer(l: Fields): LayerDiff {
  const instruction = l.string('instruction')
  const basePosition = l.integerOrNull('basePosition', 1)
  const headPosition = l.integerOrNull('headPosition', 1)
  const step = normaliseInstruction(instruction)
  return {
    change: l.oneOf('change', CHANGES),
    basePosition,
    headPosition,
    instruction,
    step,
    baseStep: basePosition === undefined ? undefined : step,
    diffId: l.string('diffId', 200),
    baseBytes: l.integerOrNull('baseBytes'),
    headBytes: l.integerOrNull('headBytes'),
    deltaBytes: l.integerOrNull('deltaBytes', Number.MIN_SAFE_INTEGER),
  }
}

/** A budget as written; `accepted` marks a failure the writing run turned into a warning */
function readRule(r: Fields): RuleResult {
  return {
    key: r.string('key', 100),
    status: r.oneOf('status', STATUSES),
    accepted: r.optionalBoolean('accepted') === true || undefined,
    unit: r.oneOf('unit', UNITS),
    limit: r.number('limit'),
    actual: r.numberOrNull('actual'),
    overshoot: r.numberOrNull('overshoot'),
    message: r.string('message', 2000),
  }
}

function readFinding(f: Fields): Finding {
  const evidence: Evidence = {
    kind: 'reported',
    of: f.oneOf('kind', EVIDENCE_KINDS),
    title: f.string('title', 200),
    detail: readWords(f, 'detailWords', 'detail'),
    fix: readWords(f, 'fixWords', 'fix'),
  }
  const finding: Finding = {
    key: f.string('key', 100),
    layers: f.array('layers', REPORT_CAPS.layers, (v, p) => checkInteger1(v, p)),
    bytes: f.integerOrNull('bytes', Number.MIN_SAFE_INTEGER),
    evidence,
  }
  const inBase = f.optionalBoolean('inBase')
  const hint = f.optionalBoolean('hint')
  if (inBase !== undefined) finding.inBase = inBase
  if (hint !== undefined) finding.hint = hint
  if (f.has('paths'))
    finding.paths = f.objects('paths', REPORT_CAPS.paths, (p) => ({
      path: p.string('path', 4096),
      bytes: p.integer('bytes'),
      layer: p.integer('layer', 1),
    }))
  return finding
}

const checkInteger1 = (value: unknown, path: string): number => {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1)
    throw new ReportFieldError(path, 'an integer of at least 1')
  return value
}

/** Prose and `{ code }` parts; a report without them (1.0, 1.1) gives its plain text as prose */
function readWords(f: Fields, key: string, plainKey: string): Array<string | { code: string }> {
  const plain = f.string(plainKey, 5000)
  if (!f.has(key)) return [plain]
  return f.array(key, REPORT_CAPS.words, (item, path) => {
    if (typeof item === 'string') return checkString(item, path, 5000)
    return { code: Fields.of(item, path).string('code', 5000) }
  })
}

function readImage(i: Fields): ImageInfo {
  const platform = i.stringOrNull('platform', 100)?.split('/')
  const [os, architecture, variant] = platform ?? []
  return {
    reference: i.string('reference', 2000),
    id: i.stringOrNull('id', 200),
    digest: i.stringOrNull('digest', 200),
    platform:
      os && architecture ? { os, architecture, ...(variant ? { variant } : {}) } : undefined,
    origin: readOrigin(i),
    sizeOrigin: i.oneOf('sizeOrigin', ['history', 'layer-content'] as const),
    // Only the count is in the report; renderers count layers, never read them.
    layers: Array.from({ length: layerCount(i) }, placeholderLayer),
    notes: [],
  }
}

function layerCount(i: Fields): number {
  const count = i.integer('layerCount')
  if (count > REPORT_CAPS.layers)
    throw new ReportFieldError(`${i.path}.layerCount`, `at most ${REPORT_CAPS.layers}`)
  return count
}

function placeholderLayer(): Layer {
  return { diffId: '', instruction: '' }
}

/** The origin (1.2); a 1.0 or 1.1 report has only its kind and the engine's figures */
function readOrigin(i: Fields): ImageOrigin {
  const kind = i.oneOf('source', ['engine', 'registry', 'archive'] as const)
  const o = i.has('origin') ? i.object('origin') : undefined
  const host = i.stringOrNull('engineHost', 500)
  const context = i.stringOrNull('engineContext', 200)
  if (kind === 'engine')
    return {
      kind,
      store: i.oneOf('store', ['overlay2', 'containerd', 'other'] as const),
      driver: o?.string('driver', 100) ?? 'unknown',
      engineVersion: i.string('engineVersion', 100),
      apiVersion: o?.string('apiVersion', 100) ?? 'unknown',
      ...(host ? { endpoint: { host, ...(context ? { context } : {}) } } : {}),
    }
  if (kind === 'registry') return { kind, registry: o?.string('registry', 500) ?? 'unknown' }
  return {
    kind,
    format: o ? o.oneOf('format', ['docker-archive', 'oci-archive', 'oci'] as const) : 'oci',
    path: o?.string('path', 4096) ?? 'unknown',
  }
}
