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
  name: string
  versions: Set<string>
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
        name: record.name,
        versions: new Set([record.version]),
        bytes: record.bytes,
      })
      continue
    }
    group.versions.add(record.version)
    group.bytes = group.bytes === null || record.bytes === null ? null : group.bytes + record.bytes
  }
  return groups
}

/** The versions lowest first (by the manager's order where it has one, else as text). */
function sortVersions(versions: Iterable<string>, order: Order): string[] {
  return [...versions].sort((a, b) => order(a, b) ?? (a < b ? -1 : a > b ? 1 : 0))
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false
  for (const v of a) if (!b.has(v)) return false
  return true
}

/** upgraded / downgraded by the highest version of each side; changed when equal or unordered */
function directionOf(before: string[], after: string[], order: Order): PackageChange['change'] {
  const c = order(before[before.length - 1], after[after.length - 1])
  if (c === undefined || c === 0) return 'changed'
  return c < 0 ? 'upgraded' : 'downgraded'
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
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const manager = key.slice(0, key.indexOf('\u0000')) as PackageManager
    const order = ORDERS[manager]
    const old = before.get(key)
    const now = after.get(key)
    if (old !== undefined && now !== undefined && sameSet(old.versions, now.versions)) continue
    const oldVersions = old === undefined ? [] : sortVersions(old.versions, order)
    const newVersions = now === undefined ? [] : sortVersions(now.versions, order)
    changes.push({
      manager,
      name: (now ?? old)?.name ?? '',
      change:
        old === undefined
          ? 'added'
          : now === undefined
            ? 'removed'
            : directionOf(oldVersions, newVersions, order),
      before: old === undefined ? null : oldVersions.join(', '),
      after: now === undefined ? null : newVersions.join(', '),
      bytesBefore: old?.bytes ?? null,
      bytesAfter: now?.bytes ?? null,
    })
  }
  return changes.sort(
    (a, b) =>
      MANAGER_RANK[a.manager] - MANAGER_RANK[b.manager] ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  )
}
