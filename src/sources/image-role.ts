/**
 * Which of the two images an error is about. Every source words its errors after the reference
 * or file it read; the gate adds, once, whether that was the base or the PR image, so a reviewer
 * knows which side to fix: "The PR image docker-archive:pr.tar has an invalid config …".
 */
import type { ImageInfo } from '../model/image.js'
import {
  formatDockerReference,
  parseDockerReference,
  type ImageSourceRef,
} from '../model/reference.js'
import { UserError } from '../util/errors.js'
import { readImage, type SourceContext } from './read-image.js'

export type ImageRole = 'base' | 'PR'

/** The reference as the user wrote it (transport included). */
export function formatSourceRef(ref: ImageSourceRef): string {
  switch (ref.transport) {
    case 'engine':
      return ref.pull ? ref.reference : `docker-daemon:${ref.reference}`
    case 'registry':
      return `docker://${ref.reference}`
    default:
      return `${ref.transport}:${ref.path}${ref.ref ? `:${ref.ref}` : ''}`
  }
}

/** Ways a source's message may name the image at its start, longest first. */
function namesOf(ref: ImageSourceRef): string[] {
  const names = [formatSourceRef(ref)]
  if (ref.transport === 'engine' || ref.transport === 'registry') {
    names.push(ref.reference)
    const parsed = parseDockerReference(ref.reference)
    if (!('error' in parsed)) names.push(formatDockerReference(parsed))
  } else {
    names.push(`${ref.transport}:${ref.path}`)
  }
  return [...new Set(names)].sort((a, b) => b.length - a.length)
}

/**
 * `message` said of the base or PR image: a message that starts with the image's name (or
 * "Image NAME") reads "The PR image NAME …"; any other gets "The PR image NAME: " in front.
 */
export function roleMessage(message: string, role: ImageRole, ref: ImageSourceRef): string {
  const subject = `The ${role} image`
  const rest = message.replace(/^image /i, '')
  const name = namesOf(ref).find((n) => rest.startsWith(n))
  if (name !== undefined && /^($|[\s:;,(])/.test(rest.slice(name.length))) {
    return `${subject} ${rest}`
  }
  return `${subject} ${formatSourceRef(ref)}: ${message}`
}

/**
 * A copy of `error` with another message: same class and fields (an `ImageNotFoundError` stays
 * one, the gate relies on it for the base), no constructor called. A copy, not the error itself,
 * since both reads may reject with one shared error (a cached engine or registry failure).
 */
export function withMessage(error: UserError, message: string): UserError {
  const copy = Object.assign(
    Object.create(Object.getPrototypeOf(error) as object) as UserError,
    error,
  )
  Object.defineProperty(copy, 'message', { value: message, writable: true, configurable: true })
  Object.defineProperty(copy, 'cause', { value: error, writable: true, configurable: true })
  copy.stack = `${copy.name}: ${message}`
  return copy
}

/** Reads the base or PR image; a `UserError` comes out saying which one it was. */
export function readImageAs(
  role: ImageRole,
  ref: ImageSourceRef,
  context: SourceContext,
): Promise<ImageInfo> {
  return asRole(role, ref, readImage(ref, context))
}

/** `read`, with a `UserError` it rejects with saying whether it was the base or the PR image. */
export async function asRole(
  role: ImageRole,
  ref: ImageSourceRef,
  read: Promise<ImageInfo>,
): Promise<ImageInfo> {
  try {
    return await read
  } catch (error: unknown) {
    if (!(error instanceof UserError)) throw error
    throw withMessage(error, roleMessage(error.message, role, ref))
  }
}
