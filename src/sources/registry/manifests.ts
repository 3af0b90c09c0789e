/**
 * Manifests and indexes from a registry, in the OCI and Docker v2 media types. Docker's
 * schema 1 (signed, no layer sizes) is refused; registries serve it only when asked for it.
 * https://github.com/opencontainers/distribution-spec/blob/main/spec.md#pulling-manifests
 */
import { MediaType, type OciIndex, type OciManifest } from '../../model/oci.js'
import { UserError } from '../../util/errors.js'
import { isRecord, optional, shape, text, validate } from '../../util/json-check.js'
import { ociIndex, ociManifest } from '../oci/oci-shapes.js'
import { checkDigest, digestOf, isDigest } from './digest.js'
import { MANIFEST_LIMIT, parseJson, readCapped } from './http-body.js'
import type { RegistryClient } from './registry-client.js'

/** Index types first: a registry holding both answers a tag with the index. */
export const MANIFEST_ACCEPT = [
  MediaType.ociIndex,
  MediaType.dockerManifestList,
  MediaType.ociManifest,
  MediaType.dockerManifest,
].join(', ')

const INDEX_TYPES = new Set<string>([MediaType.ociIndex, MediaType.dockerManifestList])
const MANIFEST_TYPES = new Set<string>([MediaType.ociManifest, MediaType.dockerManifest])
const SCHEMA1 = /^application\/vnd\.docker\.distribution\.manifest\.v1\+/
const mediaTypeField = shape<{ mediaType?: string }>({ mediaType: optional(text) })

interface Fetched {
  /** Digest of the exact bytes served: the reference's digest when it has one */
  digest: string
  /** The media type the document is treated as */
  mediaType: string
}

export type FetchedManifest =
  | (Fetched & { kind: 'manifest'; manifest: OciManifest })
  | (Fetched & { kind: 'index'; index: OciIndex })

/**
 * GETs `manifests/<tag or digest>` and checks its digest: against the reference when that is a
 * digest, and against `Docker-Content-Digest` when the registry sends it (the header HEAD also
 * gives, so no separate HEAD is made). Without either, the digest is the body's sha256.
 */
export async function fetchManifest(
  client: RegistryClient,
  reference: string,
  what: string,
): Promise<FetchedManifest> {
  const response = await client.get(`manifests/${reference}`, {
    accept: MANIFEST_ACCEPT,
    what,
    missingIsNotFound: true,
  })
  const body = await readCapped(response, MANIFEST_LIMIT, what)
  const expected = isDigest(reference) ? reference : undefined
  if (expected) checkDigest(body, expected, what)
  const header = response.headers.get('docker-content-digest') ?? ''
  const checkable = /^sha(256|512):[a-f0-9]+$/.test(header)
  if (checkable) checkDigest(body, header, what)
  const contentType = response.headers.get('content-type')?.split(';')[0].trim()
  const digest = expected ?? (checkable ? header : digestOf(body))
  return classifyManifest(parseJson(body, what), contentType, digest, what)
}

/**
 * Resolves a tag to its manifest digest with HEAD, as `docker pull` and skopeo do: headers only,
 * and on Docker Hub a HEAD does not count against the pull rate limit. Undefined when the
 * registry does not say (no Docker-Content-Digest, HEAD not allowed, or any failure): then the
 * GET by tag says it in full, with the registry's error code (a HEAD's answer has no body, so
 * it cannot tell MANIFEST_UNKNOWN from NAME_UNKNOWN).
 */
export async function headManifestDigest(
  client: RegistryClient,
  tag: string,
  what: string,
): Promise<string | undefined> {
  let response: Response
  try {
    response = await client.get(`manifests/${tag}`, {
      method: 'HEAD',
      accept: MANIFEST_ACCEPT,
      what,
      missingIsNotFound: true,
    })
  } catch (error: unknown) {
    if (!(error instanceof UserError)) throw error
    return undefined
  }
  const header = response.headers.get('docker-content-digest') ?? ''
  return isDigest(header) ? header : undefined
}

/**
 * Decides between index and manifest by the document's own `mediaType`, else the Content-Type
 * (OCI documents may leave `mediaType` out), else by shape; then checks the shape.
 */
export function classifyManifest(
  document: unknown,
  contentType: string | undefined,
  digest: string,
  what: string,
): FetchedManifest {
  const declared = isRecord(document) ? document.mediaType : undefined
  if (declared !== undefined)
    validate(mediaTypeField, document, `${what} has an invalid manifest ${digest}`)
  const served = contentType && isManifestType(contentType) ? contentType : undefined
  const mediaType = typeof declared === 'string' ? declared : (served ?? inferMediaType(document))
  if (SCHEMA1.test(mediaType)) {
    throw new UserError(
      `${what} is a Docker schema 1 manifest (${mediaType}), which has no layer sizes; push it again with a current Docker`,
    )
  }
  if (INDEX_TYPES.has(mediaType)) {
    const index = validate(ociIndex, document, `${what} has an invalid index ${digest}`)
    return { kind: 'index', index, digest, mediaType }
  }
  if (MANIFEST_TYPES.has(mediaType)) {
    const manifest = validate(ociManifest, document, `${what} has an invalid manifest ${digest}`)
    return { kind: 'manifest', manifest, digest, mediaType }
  }
  throw new UserError(`${what} (${mediaType}) is neither an image manifest nor an image index`)
}

function isManifestType(type: string): boolean {
  return INDEX_TYPES.has(type) || MANIFEST_TYPES.has(type) || SCHEMA1.test(type)
}

/** By shape: an index lists `manifests`, a manifest has `config` and `layers`. */
function inferMediaType(document: unknown): string {
  if (!isRecord(document)) return 'unknown media type'
  if ('manifests' in document) return MediaType.ociIndex
  if ('config' in document || 'layers' in document) return MediaType.ociManifest
  return 'unknown media type'
}
