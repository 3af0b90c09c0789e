/**
 * npm: the packages under `node_modules` (scoped and nested), the application manifests
 * (`package.json` outside `node_modules`) with their dependency names, and semver ordering.
 * Layout: https://docs.npmjs.com/cli/configuring-npm/folders#node-modules ;
 * ordering: https://semver.org/#spec-item-11
 */
import type { AppManifest, PackageRecord, ViewFile } from '../../model/files.js'
import type { DatabaseText } from './index.js'
import { compareDigits, MAX_ORDERED_VERSION_LENGTH } from './text.js'

/** Larger package.json files are not parsed (real ones are a few KiB; old npm embedded READMEs) */
export const PACKAGE_JSON_MAX_CHARS = 1024 * 1024

const NODE_MODULES = '/node_modules/'

/** Whether `path` is a package root's package.json or an app manifest (not one deeper in a package) */
export function isPackageJson(path: string): boolean {
  return path.endsWith('/package.json') && placeOf(path) !== undefined
}

type Place =
  { kind: 'package'; directory: string; holder: string } | { kind: 'manifest'; directory: string }

const base = (path: string) => path.slice(path.lastIndexOf('/') + 1)
const parent = (path: string) => path.slice(0, Math.max(path.lastIndexOf('/'), 0))

/**
 * A package root (`…/node_modules/<name>` or `…/node_modules/@scope/<name>`), an app
 * manifest (no `node_modules` in its path), or neither (a package.json deeper inside a
 * package, such as `lib/esm/package.json`).
 */
function placeOf(path: string): Place | undefined {
  const directory = parent(path)
  const up = parent(directory)
  if (base(up) === 'node_modules' && !/^[.@]/.test(base(directory)))
    return { kind: 'package', directory, holder: up }
  if (base(up).startsWith('@') && base(parent(up)) === 'node_modules')
    return { kind: 'package', directory, holder: parent(up) }
  if (`${directory}/`.includes(NODE_MODULES)) return undefined
  return { kind: 'manifest', directory }
}

/** The parsed JSON object of a package.json, or undefined when it is cut, huge or not an object. */
function tryParseObject(db: DatabaseText): Record<string, unknown> | undefined {
  if (db.truncated || db.text.length > PACKAGE_JSON_MAX_CHARS) return undefined
  try {
    const value: unknown = JSON.parse(db.text.replace(/^\uFEFF/, ''))
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
    return value as Record<string, unknown>
  } catch {
    // Malformed JSON (SyntaxError), or nesting deep enough to exhaust a parser (RangeError):
    // the file is data from the image, not our failure; the package is left out.
    return undefined
  }
}

function dependencyNames(value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return []
  return Object.keys(value)
}

/**
 * Bytes of the visible files under each package directory, excluding nested `node_modules`:
 * every file counts for the innermost package directory that holds it. One pass over `view`.
 */
function sumPackageBytes(
  directories: ReadonlySet<string>,
  view: ReadonlyMap<string, ViewFile>,
): Map<string, number> {
  const sums = new Map<string, number>()
  for (const [path, file] of view) {
    const at = path.lastIndexOf(NODE_MODULES)
    if (at < 0) continue
    const start = at + NODE_MODULES.length
    let end = path.indexOf('/', start)
    if (end > 0 && path[start] === '@') end = path.indexOf('/', end + 1)
    if (end < 0) continue
    const directory = path.slice(0, end)
    if (directories.has(directory)) sums.set(directory, (sums.get(directory) ?? 0) + file.bytes)
  }
  return sums
}

/**
 * The npm packages and app manifests the package.json texts describe. A package is `dev`
 * when the app manifest beside the `node_modules` that holds it lists its name under
 * devDependencies and not under dependencies (direct names only: a package that only a dev
 * dependency pulls in is not marked); packages with no manifest there have no `dev`.
 */
export function readNpm(
  texts: readonly DatabaseText[],
  view: ReadonlyMap<string, ViewFile>,
): { packages: PackageRecord[]; manifests: AppManifest[] } {
  const found: Array<{ record: PackageRecord; holder: string }> = []
  const manifests: AppManifest[] = []
  for (const db of texts) {
    const place = placeOf(db.path)
    if (place === undefined) continue
    const json = tryParseObject(db)
    if (json === undefined) continue
    if (place.kind === 'manifest') {
      manifests.push({
        path: db.path,
        layer: db.layer,
        dependencies: dependencyNames(json.dependencies),
        devDependencies: dependencyNames(json.devDependencies),
      })
      continue
    }
    const name = typeof json.name === 'string' && json.name !== '' ? json.name : undefined
    const version = typeof json.version === 'string' ? json.version : ''
    if (version === '') continue // not an installed package (a workspace stub or a fixture)
    const record: PackageRecord = {
      manager: 'npm',
      name: name ?? place.directory.slice(place.holder.length + 1),
      version,
      bytes: null,
      path: place.directory,
      layer: db.layer,
    }
    found.push({ record, holder: place.holder })
  }
  if (found.length === 0) return { packages: [], manifests }
  const sums = sumPackageBytes(new Set(found.map(({ record }) => record.path)), view)
  const apps = new Map(
    manifests.map((m) => [
      parent(m.path),
      { dependencies: new Set(m.dependencies), devDependencies: new Set(m.devDependencies) },
    ]),
  )
  const packages = found.map(({ record, holder }) => {
    record.bytes = sums.get(record.path) ?? 0
    const app = apps.get(parent(holder))
    if (app !== undefined)
      record.dev = app.devDependencies.has(record.name) && !app.dependencies.has(record.name)
    return record
  })
  return { packages, manifests }
}

const SEMVER =
  /^[v=]?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/

function comparePrerelease(a: string | undefined, b: string | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1
  const left = a.split('.')
  const right = b.split('.')
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const x = left[i]
    const y = right[i]
    const numericX = /^\d+$/.test(x)
    const numericY = /^\d+$/.test(y)
    if (numericX && numericY) {
      const c = compareDigits(x, y)
      if (c !== 0) return c
    } else if (numericX !== numericY) return numericX ? -1 : 1
    else if (x !== y) return x < y ? -1 : 1
  }
  return left.length === right.length ? 0 : left.length < right.length ? -1 : 1
}

/** Semver precedence of two versions: -1, 0, 1, or undefined when either is not semver. */
export function compareSemver(a: string, b: string): number | undefined {
  if (a.length > MAX_ORDERED_VERSION_LENGTH || b.length > MAX_ORDERED_VERSION_LENGTH)
    return undefined
  const left = SEMVER.exec(a.trim())
  const right = SEMVER.exec(b.trim())
  if (left === null || right === null) return undefined
  for (let i = 1; i <= 3; i++) {
    const c = compareDigits(left[i], right[i])
    if (c !== 0) return c
  }
  return comparePrerelease(left[4], right[4])
}
