/**
 * The packages an image holds, from the package databases its layers captured, and how two
 * images' packages differ.
 */
import type { AppManifest, PackageChange, PackageRecord, ViewFile } from '../../model/files.js'

/** A captured database file that a container sees, and the layer that wrote that copy */
export interface DatabaseText {
  path: string
  text: string
  /** The file was longer than what was kept */
  truncated: boolean
  layer: number
}

/**
 * The packages (dpkg, apk, Python distributions, npm packages) and application manifests the
 * visible database files list. `view` gives the visible files, for sizes that the database
 * does not hold (an npm package's directory).
 */
export function readPackages(
  _texts: readonly DatabaseText[],
  _view: ReadonlyMap<string, ViewFile>,
): { packages: PackageRecord[]; manifests: AppManifest[] } {
  // Issue 9 (packages): the parsers come next.
  return { packages: [], manifests: [] }
}

/** Packages added, removed, upgraded or downgraded from `base` to `head`. */
export function comparePackages(
  _base: readonly PackageRecord[] | undefined,
  _head: readonly PackageRecord[],
): PackageChange[] {
  return []
}
