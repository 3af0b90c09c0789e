/**
 * How two images' packages differ, per (manager, name), with each manager's version ordering.
 */
import type { PackageChange, PackageManager, PackageRecord } from '../../model/files.js'
import { compareApkVersions } from './apk.js'
import { compareDebianVersions } from './dpkg.js'
import { compareSemver } from './npm.js'
import { comparePep440, normalisePythonName } from './python.js'

type Order = (a: string, b: string) => number | undefined

const ORDERS: Record<PackageManager, Order> = {
  dpkg: compareDebianVersions,
  apk: compareApkVersions,
  python: comparePep440,
  npm: compareSemver,
}
const MANAGER_RANK: Record<PackageManager, number> = { dpkg: 0, apk: 1, python: 2, npm: 3 }

/** Every copy of one package name in one image */
interface Copies {
  manager: PackageManager
  name: string
  /** Distinct versions (nearly always one) */
  versions: string[]
  /** The same, once there are many (an untrusted image may hold one name thousands of times) */
  seen?: Set<string>
  bytes: number | null
}

/** Python names are compared normalised (PEP 503); the others as written */
function keyOf(record: PackageRecord): string {
  const name = record.manager === 'python' ? normalisePythonName(record.name) : record.name
  return `${record.manager}\u0000${name}`
}

function groupCopies(records: readonly PackageRecord[]): Map<string, Copies> {
  const groups = new Map<string, Copies>()
  for (const record of records) {
    const key = keyOf(record)
    const group = groups.get(key)
    if (group === undefined) {
      groups.set(key, {
        manager: record.manager,
        name: record.name,
        versions: [record.version],
        bytes: record.bytes,
      })
      continue
    }
    if (!hasVersion(group, record.version)) {
      group.versions.push(record.version)
      group.seen?.add(record.version)
    }
    group.bytes = group.bytes === null || record.bytes === null ? null : group.bytes + record.bytes
  }
  return groups
}

/** The versions lowest first (by the manager's order where it has one, else as text). */
function sortVersions(versions: readonly string[], order: Order): string[] {
  if (versions.length === 1) return [versions[0]]
  return [...versions].sort((a, b) => order(a, b) ?? (a < b ? -1 : a > b ? 1 : 0))
}

const FEW = 16

function hasVersion(copies: Copies, version: string): boolean {
  if (copies.versions.length < FEW) return copies.versions.includes(version)
  copies.seen ??= new Set(copies.versions)
  return copies.seen.has(version)
}

function sameSet(a: Copies, b: Copies): boolean {
  return a.versions.length === b.versions.length && a.versions.every((v) => hasVersion(b, v))
}

/** upgraded / downgraded by the highest version of each side; changed when equal or unordered */
function directionOf(before: string[], after: string[], order: Order): PackageChange['change'] {
  const c = order(before[before.length - 1], after[after.length - 1])
  if (c === undefined || c === 0) return 'changed'
  return c < 0 ? 'upgraded' : 'downgraded'
}

/** The change from `old` to `now`, at least one of them present */
function changeOf(old: Copies | undefined, now: Copies | undefined): PackageChange {
  const either = (now ?? old) as Copies
  const order = ORDERS[either.manager]
  const oldVersions = old === undefined ? [] : sortVersions(old.versions, order)
  const newVersions = now === undefined ? [] : sortVersions(now.versions, order)
  let change: PackageChange['change']
  if (old === undefined) change = 'added'
  else if (now === undefined) change = 'removed'
  else change = directionOf(oldVersions, newVersions, order)
  return {
    manager: either.manager,
    name: either.name,
    change,
    before: old === undefined ? null : oldVersions.join(', '),
    after: now === undefined ? null : newVersions.join(', '),
    bytesBefore: old?.bytes ?? null,
    bytesAfter: now?.bytes ?? null,
  }
}

/**
 * Packages added, removed, upgraded, downgraded or changed (versions not ordered, or equal in
 * order yet written differently) from `base` to `head`; nothing without a base.
 * A name held more than once in an image (two npm copies, a multi-arch dpkg package) is one
 * entry: its set of versions. Equal sets are no change; otherwise the highest versions of each
 * side decide the direction, and `before` / `after` list every version, lowest first, joined
 * with `, `; bytes are the sum over the copies (null when any copy's size is unknown).
 * Sorted by manager (dpkg, apk, python, npm), then name.
 */
export function comparePackageLists(
  base: readonly PackageRecord[] | undefined,
  head: readonly PackageRecord[],
): PackageChange[] {
  if (base === undefined) return []
  const before = groupCopies(base)
  const after = groupCopies(head)
  const changes: PackageChange[] = []
  for (const [key, old] of before) {
    const now = after.get(key)
    if (now === undefined) changes.push(changeOf(old, undefined))
    else if (!sameSet(old, now)) changes.push(changeOf(old, now))
  }
  for (const [key, now] of after) if (!before.has(key)) changes.push(changeOf(undefined, now))
  return changes.sort(
    (a, b) =>
      MANAGER_RANK[a.manager] - MANAGER_RANK[b.manager] ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  )
}
