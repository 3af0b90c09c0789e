/**
 * Which files are package databases (or app manifests) whose text the layer reader keeps, so
 * the packages of an image can be read after its layers are merged.
 */
import { isApkDatabase } from './apk.js'
import { isDpkgDatabase } from './dpkg.js'
import { isPackageJson } from './npm.js'
import { isPythonMetadata, isPythonRecord } from './python.js'

/** Longest database text kept; a larger one is kept cut and marked `truncated` */
export const PACKAGE_DATABASE_MAX_BYTES = 64 * 1024 * 1024

/** Whether `path` (absolute) is a package database or manifest the analysis reads. */
export function isPackageDatabase(path: string): boolean {
  return (
    isDpkgDatabase(path) ||
    isApkDatabase(path) ||
    isPythonRecord(path) ||
    isPythonMetadata(path) ||
    isPackageJson(path)
  )
}
