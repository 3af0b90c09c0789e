/**
 * The packages an image holds, from the package databases its layers captured, and how two
 * images' packages differ. One module per manager: dpkg.ts, apk.ts, python.ts, npm.ts.
 * Every parser takes untrusted text: malformed or cut input yields fewer packages, never an
 * exception, and the work is linear in the text.
 */
import type { AppManifest, PackageChange, PackageRecord, ViewFile } from '../../model/files.js'
import { APK_INSTALLED, isApkDatabase, readApk } from './apk.js'
import { comparePackageLists } from './compare.js'
import { isDpkgDatabase, readDpkg } from './dpkg.js'
import { isPackageJson, readNpm } from './npm.js'
import { isPythonMetadata, isPythonRecord, parentDirectory, readPython } from './python.js'

/** A captured database file that a container sees, and the layer that wrote that copy */
export interface DatabaseText {
  path: string
  text: string
  /** The file was longer than what was kept */
  truncated: boolean
  layer: number
}

/** `list.push(...more)` without the argument-count limit of a spread */
function append<T>(list: T[], more: readonly T[]): void {
  for (const item of more) list.push(item)
}

/**
 * The packages (dpkg, apk, Python distributions, npm packages) and application manifests the
 * visible database files list. `view` gives the visible files, for sizes that the database
 * does not hold (an npm package's directory).
 */
export function readPackages(
  texts: readonly DatabaseText[],
  view: ReadonlyMap<string, ViewFile>,
): { packages: PackageRecord[]; manifests: AppManifest[] } {
  const packages: PackageRecord[] = []
  const records = new Map<string, DatabaseText>()
  const metadata: DatabaseText[] = []
  const packageJsons: DatabaseText[] = []
  const apk = APK_INSTALLED.map((path) => texts.find((db) => db.path === path)).find(Boolean)
  if (apk !== undefined) append(packages, readApk(apk, view))
  for (const db of texts) {
    if (isDpkgDatabase(db.path)) append(packages, readDpkg(db, view))
    else if (isApkDatabase(db.path))
      continue // read above: one database only
    else if (isPythonRecord(db.path)) records.set(parentDirectory(db.path), db)
    else if (isPythonMetadata(db.path)) metadata.push(db)
    else if (isPackageJson(db.path)) packageJsons.push(db)
  }
  for (const db of metadata) {
    const record = readPython(db, records)
    if (record !== undefined) packages.push(record)
  }
  const npm = readNpm(packageJsons, view)
  append(packages, npm.packages)
  return { packages, manifests: npm.manifests }
}

/**
 * Packages added, removed, upgraded, downgraded or changed from `base` to `head` (nothing
 * without a base); see `comparePackageLists` for names held more than once.
 */
export function comparePackages(
  base: readonly PackageRecord[] | undefined,
  head: readonly PackageRecord[],
): PackageChange[] {
  return comparePackageLists(base, head)
}
