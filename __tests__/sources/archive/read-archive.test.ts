import { describe, expect, test } from '@jest/globals'
import { readImageArchive } from '../../../src/sources/archive/read-archive.js'
import {
  CHUNK_SIZES,
  SAMPLE_CONTENT_BYTES,
  chunked,
  gzip,
  sampleZstdFixture,
  sha256,
} from './fixtures.js'
import {
  OCI_EXPECTED_CONTENT,
  kanikoLayout,
  layoutTar,
  legacyLayout,
  multiPlatformLayout,
  ociLayout,
} from './layouts.js'

describe('readImageArchive, legacy docker save', () => {
  async function archive(manifestFirst: boolean): Promise<Buffer> {
    const { layout, links } = await legacyLayout()
    const ordered = manifestFirst ? [...layout].reverse() : layout
    return layoutTar(ordered, links)
  }

  test.each(CHUNK_SIZES)('reads it fed in %i-byte chunks', async (size) => {
    const contents = await readImageArchive(chunked(await archive(false), size))
    expect(contents.format).toBe('docker-archive')
    expect(contents.notes).toEqual([])
    expect(contents.images).toHaveLength(1)
    const [image] = contents.images
    expect(image.repoTags).toEqual(['isg-test/archive-legacy:1'])
    expect(image.id).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(image.platform).toEqual({ os: 'linux', architecture: 'amd64' })
    expect(image.manifest).toBeUndefined()
    expect(image.layers.map((layer) => layer.uncompressedBytes)).toEqual([
      SAMPLE_CONTENT_BYTES,
      3000,
      SAMPLE_CONTENT_BYTES,
    ])
    expect(image.layers.map((layer) => layer.diffId)).toEqual(image.config.rootfs.diff_ids)
    for (const layer of image.layers) {
      expect(layer).not.toHaveProperty('compressedBytes')
      expect(layer).not.toHaveProperty('digest')
      expect(layer.compression).toBe('none')
    }
  })

  test('the order of entries does not matter (manifest first, symlink before target)', async () => {
    const first = await readImageArchive(chunked(await archive(true), 4093))
    const last = await readImageArchive(chunked(await archive(false), 4093))
    expect(first).toEqual(last)
  })

  test('a gzip-compressed archive (docker save | gzip) reads the same', async () => {
    const plain = await archive(false)
    expect(await readImageArchive(chunked(gzip(plain), 7))).toEqual(
      await readImageArchive(chunked(plain, 7)),
    )
  })
})

describe('readImageArchive, OCI layouts', () => {
  test.each(CHUNK_SIZES)('reads a Docker 25+ save fed in %i-byte chunks', async (size) => {
    const layout = await ociLayout()
    const contents = await readImageArchive(chunked(await layoutTar(layout), size))
    expect(contents.format).toBe('docker-archive')
    const [image] = contents.images
    expect(contents.images).toHaveLength(1)
    expect(image.repoTags).toEqual(['isg-test/archive-oci:v1'])
    expect(image.refName).toBe('v1')
    expect(image.imageName).toBe('docker.io/isg-test/archive-oci:v1')
    expect(image.manifestDescriptor?.digest).toMatch(/^sha256:/)
    expect(image.id).toBe(image.manifest?.config.digest)
    expect(image.layers.map((layer) => layer.uncompressedBytes)).toEqual(OCI_EXPECTED_CONTENT)
    expect(image.layers.map((layer) => layer.compression)).toEqual(['gzip', 'zstd', 'none'])
    const descriptors = image.manifest?.layers ?? []
    expect(image.layers.map((layer) => layer.digest)).toEqual(descriptors.map((d) => d.digest))
    expect(image.layers.map((layer) => layer.compressedBytes)).toEqual([
      descriptors[0].size,
      sampleZstdFixture().length,
      // an uncompressed blob is pulled as it is: its size is the pull size
      descriptors[2].size,
    ])
  })

  test('a plain OCI layout tarball, index.json last or first', async () => {
    const layout = await ociLayout(false)
    const last = await readImageArchive(chunked(await layoutTar(layout), 4093), { zstd: 'fzstd' })
    const first = await readImageArchive(chunked(await layoutTar([...layout].reverse()), 4093))
    expect(last.format).toBe('oci-archive')
    expect(last.images[0].repoTags).toEqual([])
    expect(first).toEqual(last)
  })

  test('a multi-platform index gives every platform and skips attestations', async () => {
    const layout = await multiPlatformLayout()
    const contents = await readImageArchive(chunked(await layoutTar(layout), 7))
    expect(contents.images.map((image) => image.platform)).toEqual([
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64' },
    ])
    expect(contents.images.map((image) => image.layers[0].uncompressedBytes)).toEqual([1111, 2222])
    expect(contents.images.map((image) => image.refName)).toEqual(['multi', 'multi'])
    expect(contents.notes).toEqual([
      expect.stringMatching(/^skipped attestation manifest sha256:\w+ \(unknown\/unknown\)$/),
      expect.stringMatching(
        /^skipped manifest sha256:7+ \(linux\/arm\/v7\): not in the image archive$/,
      ),
    ])
  })

  test('a layer shared by two manifests is measured once and reported for both', async () => {
    const layout = await ociLayout(false)
    const index = layout.find(([path]) => path === 'index.json')
    const parsed: unknown = JSON.parse(String(index?.[1]))
    const manifests = (parsed as { manifests: unknown[] }).manifests
    layout.push([
      'index.json',
      Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: [manifests[0], manifests[0]] })),
    ])
    const contents = await readImageArchive(
      chunked(await layoutTar(layout.filter((e) => e !== index)), 4093),
    )
    expect(contents.images).toHaveLength(2)
    expect(contents.images[1].layers).toEqual(contents.images[0].layers)
  })
})

describe('readImageArchive, kaniko and crane tarballs (go-containerregistry tarball.Write)', () => {
  test.each([
    ['1 tagged', ['isg-test/kaniko:1']],
    ['2 no RepoTags (null)', null],
  ] as const)('%s: the image ID is the config digest', async (_name, tags) => {
    const { layout, configDigest } = await kanikoLayout(tags === null ? null : [...tags])
    const contents = await readImageArchive(chunked(await layoutTar(layout), 4093))
    expect(contents.format).toBe('docker-archive')
    const [image] = contents.images
    expect(image.id).toBe(configDigest)
    expect(image.repoTags).toEqual(tags ?? [])
    expect(image.layers.map((layer) => layer.uncompressedBytes)).toEqual([
      SAMPLE_CONTENT_BYTES,
      2500,
    ])
    const blobs = layout.filter(([name]) => name.endsWith('.tar.gz')).map(([, data]) => data)
    expect(image.layers.map((layer) => layer.compressedBytes)).toEqual(blobs.map((b) => b.length))
    expect(image.layers.map((layer) => layer.compression)).toEqual(['gzip', 'gzip'])
  })

  test('3 a legacy save gives the digest of its config bytes, which its name repeats', async () => {
    const { layout, links } = await legacyLayout()
    const contents = await readImageArchive(chunked(await layoutTar(layout, links), 4093))
    const config = layout.find(([name]) => /^[0-9a-f]{64}\.json$/.test(name))
    expect(contents.images[0].id).toBe(sha256(config?.[1] ?? Buffer.alloc(0)))
    expect(contents.images[0].id).toBe(`sha256:${config?.[0].slice(0, 64)}`)
  })
})
