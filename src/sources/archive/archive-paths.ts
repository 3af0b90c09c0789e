/**
 * Paths inside an image archive or layout. Digests and paths come from the archive's own JSON,
 * so they are checked before use: none may leave the archive's root.
 */
import { posix } from 'node:path'
import { UserError } from '../../util/errors.js'

/** OCI digest grammar: https://github.com/opencontainers/image-spec/blob/main/descriptor.md#digests */
const DIGEST = /^([a-z0-9]+(?:[+._-][a-z0-9]+)*):([a-zA-Z0-9=_-]+)$/
const BLOB_PATH = /^blobs\/([a-z0-9]+(?:[+._-][a-z0-9]+)*)\/([a-zA-Z0-9=_-]+)$/
/** Legacy docker save names the config `<image id hex>.json` */
const LEGACY_CONFIG = /^([a-f0-9]{64})\.json$/

/** `./a//b/` and `/a/b` become `a/b`. */
export function normalizeEntryPath(name: string): string {
  const normal = posix.normalize(`/${name}`).replace(/^\/+/, '').replace(/\/+$/, '')
  return normal === '.' ? '' : normal
}

/** Path inside the archive that a symlink or hard link entry points to. */
export function linkTargetPath(
  entryPath: string,
  linkname: string,
  kind: 'symlink' | 'link',
): string {
  if (kind === 'link' || linkname.startsWith('/')) return normalizeEntryPath(linkname)
  return normalizeEntryPath(posix.join(posix.dirname(entryPath), linkname))
}

/** `blobs/<algorithm>/<hex>` for a digest; throws for anything that is not a digest. */
export function blobPath(digest: string): string {
  const match = DIGEST.exec(digest)
  if (match === null) throw new UserError(`invalid digest ${JSON.stringify(digest)}`)
  return `blobs/${match[1]}/${match[2]}`
}

/** The digest a path names: `blobs/sha256/<hex>`, or a legacy `<hex>.json` config. */
export function digestOfPath(path: string): string | undefined {
  const blob = BLOB_PATH.exec(path)
  if (blob !== null) return `${blob[1]}:${blob[2]}`
  const legacy = LEGACY_CONFIG.exec(path)
  return legacy === null ? undefined : `sha256:${legacy[1]}`
}

/** A relative path from manifest.json, normalized; throws if it would leave the archive. */
export function checkedArchivePath(path: string, purpose: string): string {
  const normal = posix.normalize(path)
  if (path === '' || posix.isAbsolute(normal) || normal === '..' || normal.startsWith('../')) {
    throw new UserError(`${purpose}: path ${JSON.stringify(path)} points outside the archive`)
  }
  return normalizeEntryPath(normal)
}
