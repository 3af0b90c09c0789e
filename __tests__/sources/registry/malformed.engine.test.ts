/**
 * Hand-made images pushed to the real registry (127.0.0.1:5000) through its HTTP API, whose
 * config, manifest or index has a field the registry stores as it is but of the wrong type or
 * range: the registry source names the image, the document and the field, in one line. The
 * registry refuses wrong-typed manifest fields itself (MANIFEST_INVALID); those are table tests
 * of classifyManifest in manifests.test.ts. Also: an uncompressed layer blob's pull size.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import {
  readRegistryImage,
  type ReadRegistryOptions,
} from '../../../src/sources/registry/registry-source.js'
import { UserError } from '../../../src/util/errors.js'
import { REGISTRY } from '../../support/engines.js'
import {
  NO_CONFIG,
  putManifest,
  recordingLog,
  sha256,
  uploadBlob,
  type RawDescriptor,
} from '../../support/registry-tools.js'
import { buildTar, gzip, pseudoRandom } from '../archive/fixtures.js'

const REPOSITORY = `isg-data/malformed-${process.pid}`
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json'
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json'
const TAR_GZ = 'application/vnd.oci.image.layer.v1.tar+gzip'
const TAR = 'application/vnd.oci.image.layer.v1.tar'

type Config = Record<string, unknown>

let tar: Buffer
let layer: RawDescriptor
const pushed: string[] = []

const options = (measureContent = false): ReadRegistryOptions => ({
  credentials: NO_CONFIG,
  measureContent,
  log: recordingLog(),
})

function goodConfig(): Config {
  return {
    architecture: 'amd64',
    os: 'linux',
    rootfs: { type: 'layers', diff_ids: [sha256(tar)] },
    config: { Env: ['PATH=/bin'] },
    history: [{ created_by: 'COPY app /app' }, { created_by: 'CMD ["app"]', empty_layer: true }],
  }
}

async function pushImage(
  tag: string,
  config: unknown,
  layers: RawDescriptor[] = [layer],
): Promise<RawDescriptor> {
  const configDesc = await uploadBlob(
    REGISTRY,
    REPOSITORY,
    Buffer.from(JSON.stringify(config)),
    OCI_CONFIG,
  )
  const manifest = { schemaVersion: 2, mediaType: OCI_MANIFEST, config: configDesc, layers }
  const descriptor = await putManifest(REGISTRY, REPOSITORY, tag, OCI_MANIFEST, manifest)
  pushed.push(descriptor.digest)
  return descriptor
}

async function failure(reference: string): Promise<string> {
  const error = await readRegistryImage(reference, options()).then(
    () => new Error('the read succeeded'),
    (reason: unknown) => reason,
  )
  if (!(error instanceof UserError)) throw error
  expect(error.message).not.toContain('\n')
  return error.message
}

beforeAll(async () => {
  tar = await buildTar([{ name: 'app/bin', data: pseudoRandom(4000, 'registry-malformed') }])
  layer = await uploadBlob(REGISTRY, REPOSITORY, gzip(tar), TAR_GZ)
})

afterAll(async () => {
  for (const digest of pushed) {
    await fetch(`http://${REGISTRY}/v2/${REPOSITORY}/manifests/${digest}`, { method: 'DELETE' })
  }
})

// [#, what is wrong, edit of the config, the complaint]
const CONFIG_CASES: Array<[number, string, (c: Config) => void, string]> = [
  [
    1,
    'history[].created_by a number',
    (c) => void ((c.history as Config[])[0].created_by = 42),
    'history[0].created_by is a number, expected a string',
  ],
  [
    2,
    'history[].empty_layer a string',
    (c) => void ((c.history as Config[])[1].empty_layer = 'true'),
    'history[1].empty_layer is a string, expected a boolean',
  ],
  [
    3,
    'rootfs.diff_ids[] a number',
    (c) => void ((c.rootfs as Config).diff_ids = [1]),
    'rootfs.diff_ids[0] is a number, expected a string',
  ],
  [4, 'os a number', (c) => void (c.os = 7), 'os is a number, expected a string'],
  [
    5,
    'config.Env a string',
    (c) => void (c.config = { Env: 'PATH=/bin' }),
    'config.Env is a string, expected an array',
  ],
]

describe('registry images with malformed JSON', () => {
  test.each(CONFIG_CASES)('config %i: %s', async (n, _what, edit, complaint) => {
    const config = goodConfig()
    edit(config)
    const tag = `config-${n}`
    const descriptor = await pushImage(tag, config)
    const reference = `${REGISTRY}/${REPOSITORY}:${tag}`
    const manifest = JSON.parse(
      await (
        await fetch(`http://${REGISTRY}/v2/${REPOSITORY}/manifests/${descriptor.digest}`, {
          headers: { accept: OCI_MANIFEST },
        })
      ).text(),
    ) as { config: { digest: string } }
    expect(await failure(reference)).toBe(
      `${reference} has an invalid config ${manifest.config.digest}: ${complaint}`,
    )
  })

  test('a manifest with a negative layer size, which the registry stores', async () => {
    const descriptor = await pushImage('negative-size', goodConfig(), [{ ...layer, size: -1 }])
    const reference = `${REGISTRY}/${REPOSITORY}:negative-size`
    expect(await failure(reference)).toBe(
      `image ${reference} has an invalid manifest ${descriptor.digest}: layers[0].size is -1, expected a non-negative integer`,
    )
  })

  test('an index with a negative manifest size', async () => {
    const image = await pushImage('index-child', goodConfig())
    const entry = { ...image, size: -5, platform: { os: 'linux', architecture: 'amd64' } }
    const document = { schemaVersion: 2, mediaType: OCI_INDEX, manifests: [entry] }
    const index = await putManifest(REGISTRY, REPOSITORY, 'bad-index', OCI_INDEX, document)
    pushed.push(index.digest)
    const reference = `${REGISTRY}/${REPOSITORY}:bad-index`
    expect(await failure(reference)).toBe(
      `image ${reference} has an invalid index ${index.digest}: manifests[0].size is -5, expected a non-negative integer`,
    )
  })

  test('the well-formed image reads (the cases above differ from it in one field only)', async () => {
    await pushImage('good', goodConfig())
    const image = await readRegistryImage(`${REGISTRY}/${REPOSITORY}:good`, options(true))
    expect(image.layers.map((l) => l.instruction)).toEqual(['COPY app /app'])
    expect(image.layers.map((l) => l.uncompressedBytes)).toEqual([4000])
  })
})

describe('an uncompressed layer blob', () => {
  test('its pull size is the blob size, its content is measured as a plain tar', async () => {
    const plain = await uploadBlob(REGISTRY, REPOSITORY, tar, TAR)
    await pushImage('uncompressed', goodConfig(), [plain])
    const image = await readRegistryImage(`${REGISTRY}/${REPOSITORY}:uncompressed`, options(true))
    expect(image.layers).toEqual([
      expect.objectContaining({ compressedBytes: tar.length, uncompressedBytes: 4000 }),
    ])
  })
})
