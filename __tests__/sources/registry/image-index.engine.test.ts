import { beforeAll, describe, expect, it } from '@jest/globals'
import {
  listPlatforms,
  readRegistryImage,
  type ReadRegistryOptions,
} from '../../../src/sources/registry/registry-source.js'
import { runnerPlatform } from '../../../src/sources/oci/choose-platform.js'
import { UserError } from '../../../src/util/errors.js'
import { buildFixtures, ENGINES, REGISTRY } from '../../support/engines.js'
import {
  getBlob,
  getManifest,
  NO_CONFIG,
  pushImage,
  putManifest,
  recordingLog,
  tempDockerConfig,
  uploadBlob,
  type RawDescriptor,
  type RawManifest,
} from '../../support/registry-tools.js'

const OCI_INDEX = 'application/vnd.oci.image.index.v1+json'
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json'
const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json'

interface Assembled {
  amd64: RawDescriptor
  arm64: RawDescriptor
  arm64Config: RawDescriptor
  attestation: RawDescriptor
}

/**
 * A multi-platform image as BuildKit pushes one, assembled through the registry's HTTP API: the
 * amd64 fixture as pushed by the engine, an arm64 manifest over the same layers with its own
 * config, and a provenance attestation manifest (first in the index, so order cannot save it).
 */
async function assemble(repository: string, amd64Tag: string): Promise<Assembled> {
  const raw = await getManifest<RawManifest>(REGISTRY, repository, amd64Tag)
  const amd64 = { mediaType: raw.contentType, digest: raw.digest, size: raw.body.length }
  const config = JSON.parse(
    (await getBlob(REGISTRY, repository, raw.json.config.digest)).toString(),
  )
  const armConfigBytes = Buffer.from(
    JSON.stringify({ ...config, architecture: 'arm64', variant: 'v8' }),
  )
  const arm64Config = await uploadBlob(REGISTRY, repository, armConfigBytes, OCI_CONFIG)
  const layers = raw.json.layers.map((l) => ({
    ...l,
    mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
  }))
  const arm64 = await putManifest(REGISTRY, repository, undefined, OCI_MANIFEST, {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: arm64Config,
    layers,
  })
  const statement = Buffer.from(
    '{"_type":"https://in-toto.io/Statement/v0.1","predicateType":"https://slsa.dev/provenance/v0.2"}',
  )
  const statementBlob = await uploadBlob(
    REGISTRY,
    repository,
    statement,
    'application/vnd.in-toto+json',
  )
  const attConfig = await uploadBlob(
    REGISTRY,
    repository,
    Buffer.from(
      JSON.stringify({
        architecture: 'unknown',
        os: 'unknown',
        rootfs: { type: 'layers', diff_ids: [statementBlob.digest] },
      }),
    ),
    OCI_CONFIG,
  )
  const attestation = await putManifest(REGISTRY, repository, undefined, OCI_MANIFEST, {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: attConfig,
    layers: [statementBlob],
  })
  return { amd64, arm64, arm64Config, attestation }
}

describe('an image index with two platforms and an attestation', () => {
  const classic = ENGINES[0]
  const repository = 'isg/image-index'
  const amd64Tag = `amd64-${process.pid}`
  const indexTag = `multi-${process.pid}`
  const listTag = `list-${process.pid}`
  const reference = `${REGISTRY}/${repository}:${indexTag}`
  let parts: Assembled
  const options = (extra: Partial<ReadRegistryOptions> = {}): ReadRegistryOptions => ({
    credentials: NO_CONFIG,
    measureContent: false,
    log: recordingLog(),
    ...extra,
  })

  beforeAll(async () => {
    buildFixtures(classic)
    const config = tempDockerConfig()
    pushImage(classic, config.dir, 'isg-fixture/app:pr', `${REGISTRY}/${repository}:${amd64Tag}`)
    config.remove()
    parts = await assemble(repository, amd64Tag)
    const { amd64, arm64, attestation } = parts
    await putManifest(REGISTRY, repository, indexTag, OCI_INDEX, {
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [
        {
          ...attestation,
          platform: { os: 'unknown', architecture: 'unknown' },
          annotations: {
            'vnd.docker.reference.type': 'attestation-manifest',
            'vnd.docker.reference.digest': amd64.digest,
          },
        },
        { ...amd64, platform: { os: 'linux', architecture: 'amd64' } },
        { ...arm64, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
      ],
    })
    await putManifest(REGISTRY, repository, listTag, DOCKER_LIST, {
      schemaVersion: 2,
      mediaType: DOCKER_LIST,
      manifests: [
        { ...amd64, platform: { os: 'linux', architecture: 'amd64' } },
        { ...arm64, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
      ],
    })
  })

  it('reads the runner’s platform by default', async () => {
    const image = await readRegistryImage(reference, options())
    const arm = runnerPlatform().architecture === 'arm64'
    expect(image.digest).toBe(arm ? parts.arm64.digest : parts.amd64.digest)
  })

  it('reads linux/arm64 (the index says arm64/v8) with its own config', async () => {
    const log = recordingLog()
    const platform = { os: 'linux', architecture: 'arm64' }
    const image = await readRegistryImage(reference, options({ platform, log }))
    expect(image.digest).toBe(parts.arm64.digest)
    expect(image.id).toBe(parts.arm64Config.digest)
    expect(image.platform).toEqual({ ...platform, variant: 'v8' })
    const amd64 = await readRegistryImage(reference, options())
    expect(image.layers).toEqual(amd64.layers)
    expect(log.lines).toContainEqual(expect.stringMatching(/linux\/arm64\/v8 of 2 platforms/))
  })

  it('never chooses the attestation, and lists the platforms there are', async () => {
    const unknown = { os: 'unknown', architecture: 'unknown' }
    await expect(readRegistryImage(reference, options({ platform: unknown }))).rejects.toThrow(
      `${reference} has no image for unknown/unknown; it has linux/amd64, linux/arm64/v8`,
    )
    const s390x = readRegistryImage(
      reference,
      options({ platform: { os: 'linux', architecture: 's390x' } }),
    )
    await expect(s390x).rejects.toThrow(UserError)
    await expect(s390x).rejects.toThrow(
      /no image for linux\/s390x; it has linux\/amd64, linux\/arm64\/v8$/,
    )
  })

  it('lists the platforms of the index without the attestation', async () => {
    expect(await listPlatforms(reference, options())).toEqual([
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
    ])
  })

  it('reads a Docker manifest list the same way', async () => {
    const platform = { os: 'linux', architecture: 'arm64', variant: 'v8' }
    const image = await readRegistryImage(
      `${REGISTRY}/${repository}:${listTag}`,
      options({ platform }),
    )
    expect(image.digest).toBe(parts.arm64.digest)
  })

  it('reads the index by its digest, checking what the registry serves', async () => {
    const index = await getManifest(REGISTRY, repository, indexTag)
    const image = await readRegistryImage(`${REGISTRY}/${repository}@${index.digest}`, options())
    expect(image.digest).toBe(parts.amd64.digest)
  })
})
