import { describe, expect, test } from '@jest/globals'
import { Readable } from 'node:stream'
import {
  readImageArchive,
  type ReadArchiveOptions,
} from '../../../src/sources/archive/read-archive.js'
import { UserError } from '../../../src/util/errors.js'
import { chunked, gzip, json, sampleLayer } from './fixtures.js'
import { layoutTar, legacyLayout, ociLayout, type Layout } from './layouts.js'

async function failure(archive: Buffer, options?: ReadArchiveOptions): Promise<string> {
  const error = await readImageArchive(chunked(archive, 4093), options).then(
    () => new Error('readImageArchive resolved'),
    (reason: unknown) => reason,
  )
  if (!(error instanceof UserError)) throw error
  expect(error.message).not.toContain('\n')
  return error.message
}

async function legacyWith(edit: (layout: Layout) => Layout): Promise<Buffer> {
  const { layout, links } = await legacyLayout()
  return layoutTar(edit(layout), links)
}

function replace(layout: Layout, path: string, data: Buffer): Layout {
  return layout.map(([name, bytes]) => [name, name === path ? data : bytes])
}

function manifestOf(layout: Layout): Array<{ Config: string; Layers: string[] }> {
  const entry = layout.find(([name]) => name === 'manifest.json')
  return JSON.parse(String(entry?.[1])) as Array<{ Config: string; Layers: string[] }>
}

describe('readImageArchive errors', () => {
  test('a file that is not a tar', async () => {
    const text = Buffer.from('this is a README, not an image archive\n'.repeat(50))
    expect(await failure(text)).toBe(
      'image archive is not a tar, gzip or zstd stream (invalid tar header)',
    )
  })

  test('an empty file', async () => {
    expect(await failure(Buffer.alloc(0))).toBe('image archive is empty (0 bytes)')
  })

  test('an archive cut in the middle of a layer', async () => {
    const archive = await legacyWith((layout) => layout)
    expect(await failure(archive.subarray(0, 20000))).toBe(
      'image archive is corrupt or truncated: the data ends in the middle of an entry',
    )
  })

  test('a gzip-compressed archive cut short', async () => {
    const archive = gzip(await legacyWith((layout) => layout))
    expect(await failure(archive.subarray(0, archive.length - 100))).toMatch(
      /^image archive: gzip data is corrupt or truncated \(.+\)$/,
    )
  })

  test('an archive cut between two entries', async () => {
    const archive = await legacyWith((layout) => layout.slice(0, 5))
    expect(await failure(archive.subarray(0, archive.length - 1024))).toBe(
      'image archive is truncated: its tar data stops without the end-of-archive marker',
    )
  })

  test('an archive with neither manifest.json nor index.json', async () => {
    const archive = await layoutTar([['layer.tar', await sampleLayer()]])
    expect(await failure(archive)).toBe(
      'image archive has neither index.json nor manifest.json: not a docker save archive or an OCI image layout',
    )
  })

  test('a missing config', async () => {
    const archive = await legacyWith((layout) =>
      layout.filter(([name]) => !/^[0-9a-f]{64}\.json$/.test(name)),
    )
    expect(await failure(archive)).toMatch(
      /^image archive has no [0-9a-f]{64}\.json \(config of image isg-test\/archive-legacy:1\)$/,
    )
  })

  test('a missing layer', async () => {
    const archive = await legacyWith((layout) => layout.filter(([name]) => !name.startsWith('b')))
    expect(await failure(archive)).toBe(
      `image archive has no ${'b'.repeat(64)}/layer.tar (layer 2 of image isg-test/archive-legacy:1)`,
    )
  })

  test('more layers than diff_ids', async () => {
    const archive = await legacyWith((layout) => {
      const [entry] = manifestOf(layout)
      entry.Layers.push(entry.Layers[0])
      return replace(layout, 'manifest.json', json([entry]))
    })
    expect(await failure(archive)).toBe(
      "image archive: image isg-test/archive-legacy:1 lists 4 layers but its config's rootfs.diff_ids has 3",
    )
  })

  test('a corrupt layer that a manifest needs', async () => {
    const archive = await legacyWith((layout) =>
      replace(layout, `${'b'.repeat(64)}/layer.tar`, gzip(Buffer.from('not a tar'.repeat(100)))),
    )
    expect(await failure(archive)).toBe(
      `image archive: layer 2 of image isg-test/archive-legacy:1: ${'b'.repeat(64)}/layer.tar is not a tar inside gzip (invalid tar header)`,
    )
  })

  test('a manifest.json over the JSON cap', async () => {
    const archive = await legacyWith((layout) => layout)
    expect(await failure(archive, { maxJsonBytes: 100 })).toMatch(
      /^image archive: docker's image list: manifest\.json is over the 100-byte limit for JSON$/,
    )
  })

  test('a blob whose size differs from its descriptor', async () => {
    const layout = await ociLayout(false)
    const index = layout.findIndex(([name]) => name.startsWith('blobs/') && name !== 'index.json')
    const [name, blob] = layout[index]
    layout[index] = [name, Buffer.concat([blob, Buffer.alloc(1)])]
    expect(await failure(await layoutTar(layout))).toMatch(/bytes but its manifest says \d+$/)
  })

  test('a failing source is rethrown as it failed', async () => {
    const archive = await legacyWith((layout) => layout)
    const broken = new Error('connection reset')
    let sent = false
    const source = new Readable({
      read() {
        if (sent) return this.destroy(broken)
        sent = true
        this.push(archive.subarray(0, 10000))
      },
    })
    await expect(readImageArchive(source)).rejects.toBe(broken)
  })
})
