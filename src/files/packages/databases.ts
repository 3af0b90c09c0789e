/**
 * Which files are package databases (or app manifests) whose text the layer reader keeps, so
 * the packages of an image can be read after its layers are merged.
 */

/** Longest database text kept; a larger one is kept cut and marked `truncated` */
export const PACKAGE_DATABASE_MAX_BYTES = 64 * 1024 * 1024

const DPKG_STATUS = '/var/lib/dpkg/status'
const DPKG_STATUS_D = /^\/var\/lib\/dpkg\/status\.d\/[^/]+$/
const APK_INSTALLED = '/lib/apk/db/installed'
const PYTHON_RECORD = /\/[^/]+\.dist-info\/(RECORD|METADATA)$/
const PYTHON_EGG = /\/[^/]+\.egg-info(\/PKG-INFO)?$/
const PACKAGE_JSON = /\/package\.json$/

/** Whether `path` (absolute) is a package database or manifest the analysis reads. */
export function isPackageDatabase(path: string): boolean {
  return (
    path === DPKG_STATUS ||
    DPKG_STATUS_D.test(path) ||
    path === APK_INSTALLED ||
    PYTHON_RECORD.test(path) ||
    PYTHON_EGG.test(path) ||
    PACKAGE_JSON.test(path)
  )
}
