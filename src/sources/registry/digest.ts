/**
 * Content digests (`algorithm:hex`), checked on everything read from a registry: what a digest
 * names is exactly the bytes whose hash it is.
 * https://github.com/opencontainers/image-spec/blob/main/descriptor.md#digests
 */
import { createHash, type Hash } from 'node:crypto'
import { UserError } from '../../util/errors.js'

const ALGORITHMS = new Set(['sha256', 'sha512'])

export function isDigest(text: string): boolean {
  return /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/.test(text)
}

/** A hash for the digest's algorithm; an algorithm this tool cannot check is a `UserError`. */
export function hashFor(digest: string, what: string): Hash {
  const algorithm = digest.slice(0, digest.indexOf(':'))
  if (!ALGORITHMS.has(algorithm)) {
    throw new UserError(
      `${what}: digest algorithm "${algorithm}" is not supported (sha256, sha512)`,
    )
  }
  return createHash(algorithm)
}

export function digestOf(body: Uint8Array, like = 'sha256:'): string {
  const hash = hashFor(like, 'digest').update(body)
  return `${like.slice(0, like.indexOf(':'))}:${hash.digest('hex')}`
}

/** Throws when `body` is not what `expected` names. */
export function checkDigest(body: Uint8Array, expected: string, what: string): void {
  const actual = digestOf(body, expected)
  if (actual !== expected) {
    throw new UserError(`${what} does not match its digest: expected ${expected}, got ${actual}`)
  }
}
