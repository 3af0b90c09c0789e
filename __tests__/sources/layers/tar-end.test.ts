import { describe, expect, test } from '@jest/globals'
import { gunzipSync } from 'node:zlib'
import { measureLayer } from '../../../src/sources/layers/layer-content.js'
import { readImageArchive } from '../../../src/sources/archive/read-archive.js'
import { UserError } from '../../../src/util/errors.js'
import { estargzFooter, estargzLayer } from '../archive/estargz.js'
import {
  CHUNK_SIZES,
  SAMPLE_CONTENT_BYTES,
  SAMPLE_ENTRIES,
  buildTar,
  chunked,
  gzip,
  pseudoRandom,
  sampleLayer,
  smallLayer,
} from '../archive/fixtures.js'
import { layoutTar, legacyLayout } from '../archive/layouts.js'

const SAMPLE_SPECS = SAMPLE_ENTRIES.map(({ counts: _counts, ...spec }) => spec)

describe('a layer ends at its end-of-archive marker', () => {
  test('the eStargz fixture has the shape of the spec', async () => {
    const layer = await estargzLayer(SAMPLE_SPECS)
    const footer = layer.blob.subarray(layer.blob.length - 51)
    expect(footer.subarray(16, 38).toString('latin1')).toMatch(/^[0-9a-f]{16}STARGZ$/)
    expect(gunzipSync(layer.blob).equals(layer.tar)).toBe(true)
    // one gzip member per non-empty regular file, plus the first, the TOC's and the footer
    const members = layer.blob.toString('latin1').split('\x1f\x8b\x08').length - 1
    expect(members).toBeGreaterThanOrEqual(7)
  })

  test.each(CHUNK_SIZES)(
    'an eStargz layer counts as the same layer as a plain tar (%i-byte chunks)',
    async (size) => {
      const layer = await estargzLayer(SAMPLE_SPECS)
      const expected = SAMPLE_CONTENT_BYTES + 1 + layer.tocBytes // landmark + TOC file
      const stargz = await measureLayer(chunked(layer.blob, size))
      const plain = await measureLayer(chunked(layer.tar, size))
      expect(stargz).toEqual({
        contentBytes: expected,
        blobBytes: layer.blob.length,
        compression: 'gzip',
        entries: SAMPLE_ENTRIES.length + 2,
      })
      expect(plain).toEqual({ ...stargz, blobBytes: layer.tar.length, compression: 'none' })
    },
  )

  test.each(CHUNK_SIZES)(
    'a TOC written after the marker is not content (%i-byte chunks)',
    async (size) => {
      const tar = await sampleLayer()
      const toc = await buildTar([{ name: 'stargz.index.json', data: pseudoRandom(3000, 'toc') }])
      const first = gzip(tar)
      const blob = Buffer.concat([first, gzip(toc), estargzFooter(first.length)])
      expect(await measureLayer(chunked(blob, size))).toEqual({
        contentBytes: SAMPLE_CONTENT_BYTES,
        blobBytes: blob.length,
        compression: 'gzip',
        entries: SAMPLE_ENTRIES.length,
      })
    },
  )

  test.each(CHUNK_SIZES)(
    'a second tar after the marker is not read, as Go and GNU tar do (%i-byte chunks)',
    async (size) => {
      const [first, second] = [await sampleLayer(), await smallLayer('etc/after', 5000)]
      const blob = Buffer.concat([first, second])
      expect(await measureLayer(chunked(blob, size))).toEqual({
        contentBytes: SAMPLE_CONTENT_BYTES,
        blobBytes: blob.length,
        compression: 'none',
        entries: SAMPLE_ENTRIES.length,
      })
    },
  )

  test('bytes that are no tar after the marker are not parsed', async () => {
    const blob = Buffer.concat([await sampleLayer(), Buffer.from('TRAILER'.repeat(300))])
    const stats = await measureLayer(chunked(blob, 4093))
    expect(stats.contentBytes).toBe(SAMPLE_CONTENT_BYTES)
    expect(stats.blobBytes).toBe(blob.length)
  })

  test('an empty layer is the marker alone; what follows is not parsed', async () => {
    const blob = Buffer.concat([Buffer.alloc(1024), await smallLayer('x', 10)])
    expect(await measureLayer(chunked(blob, 7))).toEqual({
      contentBytes: 0,
      blobBytes: blob.length,
      compression: 'none',
      entries: 0,
    })
  })

  test('a broken gzip member after the marker is still a corrupt layer', async () => {
    const blob = Buffer.concat([
      gzip(await sampleLayer()),
      gzip(Buffer.alloc(4096)).subarray(0, 12),
    ])
    const error = await measureLayer(chunked(blob, 4093)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UserError)
    expect((error as Error).message).toMatch(/^layer: gzip data is corrupt or truncated/)
  })

  test('an image archive with a trailer after its marker reads whole', async () => {
    const { layout, links } = await legacyLayout()
    const archive = Buffer.concat([await layoutTar(layout, links), Buffer.from('x'.repeat(2000))])
    const contents = await readImageArchive(chunked(archive, 4093))
    expect(contents.images).toHaveLength(1)
    expect(contents.images[0].layers.map((l) => l.uncompressedBytes)).toEqual([
      SAMPLE_CONTENT_BYTES,
      3000,
      SAMPLE_CONTENT_BYTES,
    ])
  })
})
