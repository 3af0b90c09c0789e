/**
 * Which file contents the layer reader keeps while it streams a layer, and in what form:
 * package databases as text (parsed once the layers are merged), secret candidates only as
 * the kind of secret they hold.
 */
import type { CapturedFile } from '../model/files.js'
import { isPackageDatabase, PACKAGE_DATABASE_MAX_BYTES } from './packages/databases.js'
import { classifySecret, isSecretCandidate, SECRET_MAX_BYTES } from './secrets.js'

export interface CaptureRequest {
  kind: 'text' | 'secret'
  /** Bytes of content to read at most */
  maxBytes: number
}

/** The OS release files: which distribution and release the image is (for the base-image advice) */
const OS_RELEASE = new Set(['/etc/os-release', '/usr/lib/os-release', '/etc/alpine-release'])
const OS_RELEASE_MAX_BYTES = 64 * 1024

/** What to read of the regular file at `path` (absolute), or undefined to skip its content. */
export function captureRequest(path: string): CaptureRequest | undefined {
  if (isSecretCandidate(path)) return { kind: 'secret', maxBytes: SECRET_MAX_BYTES }
  if (isPackageDatabase(path)) return { kind: 'text', maxBytes: PACKAGE_DATABASE_MAX_BYTES }
  if (OS_RELEASE.has(path)) return { kind: 'text', maxBytes: OS_RELEASE_MAX_BYTES }
  return undefined
}

/** What is kept of a file read for `request`; `truncated` when the file is longer than read. */
export function keepCaptured(
  request: CaptureRequest,
  path: string,
  content: Buffer,
  truncated: boolean,
): CapturedFile | undefined {
  if (request.kind === 'text')
    return { path, kind: 'text', text: content.toString('utf8'), truncated }
  const secret = classifySecret(path, content)
  return secret === undefined ? undefined : { path, kind: 'secret', secret }
}
