/**
 * Choosing one image of a multi-platform index, the way `docker pull` does on the runner.
 * https://github.com/opencontainers/image-spec/blob/main/image-index.md#platform-variants
 */
import type { Platform } from '../../model/image.js'
import type { OciDescriptor, OciIndex } from '../../model/oci.js'
import { UserError } from '../../util/errors.js'
import { formatPlatform } from '../../model/image.js'

/** BuildKit puts provenance/SBOM attestations in the index as `unknown/unknown` manifests. */
const REFERENCE_TYPE = 'vnd.docker.reference.type'

/** Node's `process.arch` in GOARCH words, as image platforms spell architectures. */
const GOARCH: Record<string, Platform> = {
  x64: { os: 'linux', architecture: 'amd64' },
  arm64: { os: 'linux', architecture: 'arm64' },
  arm: { os: 'linux', architecture: 'arm', variant: 'v7' },
  ia32: { os: 'linux', architecture: '386' },
  ppc64: { os: 'linux', architecture: 'ppc64le' },
  s390x: { os: 'linux', architecture: 's390x' },
  riscv64: { os: 'linux', architecture: 'riscv64' },
}

/** The platform the runner pulls by default: linux and the runner's CPU architecture. */
export function runnerPlatform(arch: string = process.arch): Platform {
  return GOARCH[arch] ?? { os: 'linux', architecture: arch }
}

export function isAttestation(descriptor: OciDescriptor): boolean {
  const p = descriptor.platform
  return (
    descriptor.annotations?.[REFERENCE_TYPE] === 'attestation-manifest' ||
    (p?.os === 'unknown' && p.architecture === 'unknown')
  )
}

/** arm64's only variant is v8, so `linux/arm64/v8` and `linux/arm64` are the same platform. */
function variantOf(p: Platform): string | undefined {
  return p.architecture === 'arm64' && p.variant === 'v8' ? undefined : p.variant
}

/** Whether an image for `offered` runs where `wanted` is asked for; no variant asked: any. */
export function platformMatches(offered: Platform, wanted: Platform): boolean {
  if (offered.os !== wanted.os || offered.architecture !== wanted.architecture) return false
  const variant = variantOf(wanted)
  return variant === undefined || variant === variantOf(offered)
}

/** The images of an index (attestations left out), in index order. */
export function imageDescriptors(index: OciIndex): OciDescriptor[] {
  return index.manifests.filter((d) => !isAttestation(d))
}

/** The descriptor for `wanted`; none is a `UserError` listing the platforms there are. */
export function selectPlatform(index: OciIndex, wanted: Platform, label: string): OciDescriptor {
  const images = imageDescriptors(index)
  const exact = images.find((d) => d.platform && sameVariant(d.platform, wanted))
  const match = exact ?? images.find((d) => d.platform && platformMatches(d.platform, wanted))
  if (match) return match
  const offered = images.map((d) => formatPlatform(d.platform))
  throw new UserError(
    `${label} has no image for ${formatPlatform(wanted)}; it has ${offered.length ? offered.join(', ') : 'no images'}`,
  )
}

function sameVariant(offered: Platform, wanted: Platform): boolean {
  return platformMatches(offered, wanted) && variantOf(offered) === variantOf(wanted)
}
