import { describe, expect, it } from '@jest/globals'
import type { OciDescriptor, OciIndex } from '../../../src/model/oci.js'
import {
  isAttestation,
  platformMatches,
  runnerPlatform,
  selectPlatform,
} from '../../../src/sources/oci/choose-platform.js'

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'
const D = `sha256:${'d'.repeat(64)}`

function descriptor(
  platform?: OciDescriptor['platform'],
  annotations?: Record<string, string>,
): OciDescriptor {
  return { mediaType: OCI_MANIFEST, digest: D, size: 1, platform, annotations }
}

describe('platforms', () => {
  it.each([
    ['x64', { os: 'linux', architecture: 'amd64' }],
    ['arm64', { os: 'linux', architecture: 'arm64' }],
    ['arm', { os: 'linux', architecture: 'arm', variant: 'v7' }],
    ['mips', { os: 'linux', architecture: 'mips' }],
  ])('the runner platform for process.arch %s', (arch, platform) => {
    expect(runnerPlatform(arch)).toEqual(platform)
  })

  it('knows attestations by annotation or by unknown/unknown', () => {
    const annotated = descriptor(
      { os: 'linux', architecture: 'amd64' },
      { 'vnd.docker.reference.type': 'attestation-manifest' },
    )
    expect(isAttestation(annotated)).toBe(true)
    expect(isAttestation(descriptor({ os: 'unknown', architecture: 'unknown' }))).toBe(true)
    expect(isAttestation(descriptor({ os: 'linux', architecture: 'amd64' }))).toBe(false)
  })

  it.each([
    [
      'arm64/v8 offered, arm64 wanted',
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
      { os: 'linux', architecture: 'arm64' },
      true,
    ],
    [
      'arm64 offered, arm64/v8 wanted',
      { os: 'linux', architecture: 'arm64' },
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
      true,
    ],
    [
      'arm/v6 offered, arm/v7 wanted',
      { os: 'linux', architecture: 'arm', variant: 'v6' },
      { os: 'linux', architecture: 'arm', variant: 'v7' },
      false,
    ],
    [
      'arm/v6 offered, arm wanted',
      { os: 'linux', architecture: 'arm', variant: 'v6' },
      { os: 'linux', architecture: 'arm' },
      true,
    ],
    [
      'windows offered, linux wanted',
      { os: 'windows', architecture: 'amd64' },
      { os: 'linux', architecture: 'amd64' },
      false,
    ],
  ])('%s', (_name, offered, wanted, matches) => {
    expect(platformMatches(offered, wanted)).toBe(matches)
  })

  it('prefers the exact variant, skips attestations, and lists what there is', () => {
    const v6 = {
      ...descriptor({ os: 'linux', architecture: 'arm', variant: 'v6' }),
      digest: 'sha256:v6',
    }
    const v7 = {
      ...descriptor({ os: 'linux', architecture: 'arm', variant: 'v7' }),
      digest: 'sha256:v7',
    }
    const attestation = descriptor({ os: 'unknown', architecture: 'unknown' })
    const idx: OciIndex = { schemaVersion: 2, manifests: [attestation, v6, v7] }
    expect(
      selectPlatform(idx, { os: 'linux', architecture: 'arm', variant: 'v7' }, 'img').digest,
    ).toBe('sha256:v7')
    expect(selectPlatform(idx, { os: 'linux', architecture: 'arm' }, 'img').digest).toBe(
      'sha256:v6',
    )
    expect(() => selectPlatform(idx, { os: 'unknown', architecture: 'unknown' }, 'img')).toThrow(
      'img has no image for unknown/unknown; it has linux/arm/v6, linux/arm/v7',
    )
  })
})
