import { describe, expect, test } from '@jest/globals'
import { Readable } from 'node:stream'
import { decompress } from 'fzstd'
import { entryContentBytes, measureLayer } from '../../../src/sources/layers/layer-content.js'
import { UserError } from '../../../src/util/errors.js'
import {
  CHUNK_SIZES,
  SAMPLE_CONTENT_BYTES,
  SAMPLE_ENTRIES,
  buildTar,
  chunked,
  gzip,
  sampleLayer,
  sampleZstdFixture,
} from '../archive/fixtures.js'

describe('entryContentBytes', () => {
  // [#, header, bytes]: the overlay2 `docker history` definition, entry by entry
  const cases: Array<[number, Parameters<typeof entryContentBytes>[0], number]> = [
    [1, { name: 'a', type: 'file', size: 42 } as never, 42],
    [2, { name: 'a', type: 'contiguous-file', size: 7 } as never, 7],
    [3, { name: 'a', type: 'symlink', linkname: 'abc' } as never, 3],
    [4, { name: 'a', type: 'link', linkname: 'b', size: 99 } as never, 0],
    [5, { name: 'a/', type: 'directory', size: 0 } as never, 0],
    [6, { name: 'a/.wh.b', type: 'file', size: 5 } as never, 0],
    [7, { name: 'a/.wh..wh..opq', type: 'file', size: 0 } as never, 0],
    [8, { name: 'dev/sda', type: 'block-device', size: 0 } as never, 0],
    [9, { name: 'p', type: 'fifo', size: 0 } as never, 0],
    [10, { name: 'a', type: 'symlink', linkname: 'é', pax: { linkpath: 'é' } } as never, 2],
    [11, { name: 'a/b.wh.c', type: 'file', size: 4 } as never, 4],
  ]
  test.each(cases)('case %i', (_n, header, bytes) => {
    expect(entryContentBytes(header)).toBe(bytes)
  })
})

describe('measureLayer', () => {
  test.each(CHUNK_SIZES)('counts a plain tar fed in %i-byte chunks', async (size) => {
    const tar = await sampleLayer()
    const stats = await measureLayer(chunked(tar, size))
    expect(stats).toEqual({
      contentBytes: SAMPLE_CONTENT_BYTES,
      blobBytes: tar.length,
      compression: 'none',
      entries: SAMPLE_ENTRIES.length,
    })
  })

  test.each(CHUNK_SIZES)('counts a gzip layer fed in %i-byte chunks', async (size) => {
    const blob = gzip(await sampleLayer())
    const stats = await measureLayer(chunked(blob, size))
    expect(stats).toEqual({
      contentBytes: SAMPLE_CONTENT_BYTES,
      blobBytes: blob.length,
      compression: 'gzip',
      entries: SAMPLE_ENTRIES.length,
    })
  })

  test('the committed zstd fixture is the zstd of the sample layer', async () => {
    // If this fails, regenerate: write sampleLayer() to a file and `zstd -19` it into
    // __tests__/fixtures/archive/sample-layer.tar.zst.
    expect(Buffer.from(decompress(sampleZstdFixture())).equals(await sampleLayer())).toBe(true)
  })

  const zstdCases = CHUNK_SIZES.flatMap((size) => [
    [size, 'auto'] as const,
    [size, 'fzstd'] as const,
  ])
  test.each(zstdCases)(
    'counts a zstd layer fed in %i-byte chunks (%s decoder)',
    async (size, zstd) => {
      const blob = sampleZstdFixture()
      const stats = await measureLayer(chunked(blob, size), { zstd })
      expect(stats).toEqual({
        contentBytes: SAMPLE_CONTENT_BYTES,
        blobBytes: blob.length,
        compression: 'zstd',
        entries: SAMPLE_ENTRIES.length,
      })
    },
  )

  test('an empty layer (just the end marker) is 0 bytes', async () => {
    const tar = await buildTar([])
    expect(await measureLayer(chunked(gzip(tar), 3))).toMatchObject({
      contentBytes: 0,
      entries: 0,
      compression: 'gzip',
    })
  })
})

describe('measureLayer errors', () => {
  async function failure(data: Buffer, size = 4093): Promise<Error> {
    const error = await measureLayer(chunked(data, size)).then(
      () => new Error('measureLayer resolved'),
      (reason: unknown) => reason,
    )
    if (!(error instanceof UserError)) throw error
    return error
  }

  test('a tar cut inside an entry', async () => {
    const tar = await sampleLayer()
    const error = await failure(tar.subarray(0, 3000))
    expect(error.message).toBe(
      'layer is corrupt or truncated: the data ends in the middle of an entry',
    )
  })

  test('a tar cut between entries, without its end-of-archive marker', async () => {
    const tar = await sampleLayer()
    const error = await failure(tar.subarray(0, tar.length - 1024))
    expect(error.message).toMatch(/^layer is truncated: .*end-of-archive marker$/)
  })

  test('a truncated gzip stream', async () => {
    const blob = gzip(await sampleLayer())
    const error = await failure(blob.subarray(0, blob.length >> 1), 7)
    expect(error.message).toBe('layer: gzip data is corrupt or truncated (unexpected end of file)')
  })

  test('a corrupt gzip stream', async () => {
    const blob = Buffer.from(gzip(await sampleLayer()))
    blob.fill(0xaa, 20, 60)
    expect((await failure(blob)).message).toMatch(
      /^layer: gzip data is corrupt or truncated \(.+\)$/,
    )
  })

  test.each(['auto', 'fzstd'] as const)('a truncated zstd stream (%s decoder)', async (zstd) => {
    const blob = sampleZstdFixture()
    const error = await measureLayer(chunked(blob.subarray(0, 3000), 7), { zstd }).catch(
      (reason: unknown) => reason,
    )
    expect(error).toBeInstanceOf(UserError)
    // fzstd reports the cut itself; node:zlib's decoder (Node >= 22.15) may leave it to the tar
    const message = (error as Error).message
    if (zstd === 'fzstd')
      expect(message).toMatch(/^layer: zstd data is corrupt or truncated \(.+\)$/)
    else expect(message).toMatch(/^layer\b.*truncated/)
  })

  test('gzip data that is not a tar', async () => {
    const error = await failure(gzip(Buffer.from('just text, no tar\n'.repeat(100))))
    expect(error.message).toBe('layer is not a tar inside gzip (invalid tar header)')
  })

  test('a file that is neither tar nor compressed', async () => {
    const error = await failure(Buffer.from('#!/bin/sh\necho this is a script\n'.repeat(40)), 1)
    expect(error.message).toBe('layer is not a tar, gzip or zstd stream (invalid tar header)')
  })

  test('a short file that is not a tar', async () => {
    expect((await failure(Buffer.from('{"not": "a tar"}'))).message).toBe(
      'layer is not a tar, gzip or zstd stream (the data ends in the middle of the first header)',
    )
  })

  test('an empty stream', async () => {
    expect((await failure(Buffer.alloc(0))).message).toBe('layer is empty (0 bytes)')
  })

  test('a failing source is rethrown as it failed, and destroyed', async () => {
    const tar = await sampleLayer()
    const broken = new Error('disk on fire')
    const source = new Readable({
      read() {
        this.push(tar.subarray(0, 2048))
        this.destroy(broken)
      },
    })
    await expect(measureLayer(source)).rejects.toBe(broken)
    expect(source.destroyed).toBe(true)
  })
})
