/**
 * Choosing one image of a multi-platform index, the way `docker pull` does on the runner.
 * https://github.com/opencontainers/image-spec/blob/main/image-index.md#platform-variants
 */
import type { Platform } from '../../model/image.js'
import { platformMatches, variantOf } from '../../model/platform.js'

export { platformMatches, runnerPlatform } from '../../model/platform.js'
import { ImageNotFoundError } from '../errors.js'
import type { OciDescriptor, OciImageConfig, OciIndex } from '../../model/oci.js'
import { formatPlatform } from '../../model/image.js'

/** BuildKit puts provenance/SBOM attestations in the index as `unknown/unknown` manifests. */
const REFERENCE_TYPE = 'vnd.docker.reference.type'

export function isAttestation(descriptor: OciDescriptor): boolean {
  const p = descriptor.platform
  return (
    descriptor.annotations?.[REFERENCE_TYPE] === 'attestation-manifest' ||
    (p?.os === 'unknown' && p.architecture === 'unknown')
  )
}

/** The images of an index (attestations left out), in index order. */
export function imageDescriptors(index: OciIndex): OciDescriptor[] {
  return index.manifests.filter((d) => !isAttestation(d))
}

/**
 * The descriptor for `wanted`; none is an ImageNotFoundError listing the platforms there are
 * (for a base image, a platform the PR adds is "no baseline", not an error).
 */
export function selectPlatform(index: OciIndex, wanted: Platform, label: string): OciDescriptor {
  const images = imageDescriptors(index)
  const exact = images.find((d) => d.platform && sameVariant(d.platform, wanted))
  const match = exact ?? images.find((d) => d.platform && platformMatches(d.platform, wanted))
  if (match) return match
  const offered = images.map((d) => formatPlatform(d.platform))
  throw new ImageNotFoundError(
    `${label} has no image for ${formatPlatform(wanted)}; it has ${offered.length ? offered.join(', ') : 'no images'}`,
  )
}

function sameVariant(offered: Platform, wanted: Platform): boolean {
  return platformMatches(offered, wanted) && variantOf(offered) === variantOf(wanted)
}

/** The platform an image config states; none when it lacks os or architecture. */
export function platformOf(config: OciImageConfig): Platform | undefined {
  if (config.os === undefined || config.architecture === undefined) return undefined
  const platform: Platform = { os: config.os, architecture: config.architecture }
  if (config.variant !== undefined) platform.variant = config.variant
  return platform
}
