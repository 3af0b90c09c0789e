import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readImageArchive } from '../../../src/sources/archive/read-archive.js'
import { readOciDir } from '../../../src/sources/archive/read-oci-dir.js'
import { UserError } from '../../../src/util/errors.js'
import { chunked, gzip } from './fixtures.js'
import {
  OCI_EXPECTED_CONTENT,
  layoutTar,
  multiPlatformLayout,
  ociLayout,
  writeLayout,
} from './layouts.js'

let root: string

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'isg-oci-dir-'))
})

afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

async function failure(dir: string, options?: { maxJsonBytes?: number }): Promise<string> {
  const error = await readOciDir(dir, options).then(
    () => new Error('readOciDir resolved'),
    (reason: unknown) => reason,
  )
  if (!(error instanceof UserError)) throw error
  return error.message
}

describe('readOciDir', () => {
  test('reads an OCI layout directory as the archive reader reads its tarball', async () => {
    const layout = await ociLayout(false)
    const dir = await writeLayout(root, 'single', layout)
    const contents = await readOciDir(dir)
    expect(contents.format).toBe('oci')
    expect(contents.images[0].layers.map((layer) => layer.uncompressedBytes)).toEqual(
      OCI_EXPECTED_CONTENT,
    )
    const fromTar = await readImageArchive(chunked(await layoutTar(layout), 65536))
    expect(contents).toEqual({ ...fromTar, format: 'oci' })
  })

  test('gives every platform of a multi-platform layout', async () => {
    const dir = await writeLayout(root, 'multi', await multiPlatformLayout())
    const contents = await readOciDir(dir, { zstd: 'fzstd' })
    expect(contents.images.map((image) => image.platform?.architecture)).toEqual(['amd64', 'arm64'])
    expect(contents.notes).toHaveLength(2)
  })

  test('takes RepoTags from a manifest.json beside index.json', async () => {
    const dir = await writeLayout(root, 'docker', await ociLayout(true))
    const contents = await readOciDir(dir)
    expect(contents.images[0].repoTags).toEqual(['isg-test/archive-oci:v1'])
  })
})

describe('readOciDir errors', () => {
  test('a directory that does not exist', async () => {
    expect(await failure(join(root, 'nowhere'))).toMatch(
      /^OCI layout .*nowhere cannot be read: ENOENT/,
    )
  })

  test('a directory that is not a layout', async () => {
    const dir = await writeLayout(root, 'empty', [['README', Buffer.from('hello')]])
    expect(await failure(dir)).toBe(
      `OCI layout ${dir} has neither index.json nor manifest.json: not a docker save archive or an OCI image layout`,
    )
  })

  test('a missing layer blob', async () => {
    const layout = await ociLayout(false)
    const dir = await writeLayout(
      root,
      'missing',
      layout.filter((_, i) => i !== 1),
    )
    expect(await failure(dir)).toMatch(
      /^OCI layout .* has no blobs\/sha256\/\w+ \(layer 1 of manifest sha256:\w+\)$/,
    )
  })

  test('a corrupt layer blob', async () => {
    const layout = await ociLayout(false)
    const [path, blob] = layout[1]
    const corrupt = Buffer.from(blob)
    corrupt.fill(0x55, 30, 90)
    const dir = await writeLayout(root, 'corrupt', [
      ...layout.slice(0, 1),
      [path, corrupt],
      ...layout.slice(2),
    ])
    expect(await failure(dir)).toMatch(
      /^OCI layout .*: layer 1 of manifest sha256:\w+: blobs\/sha256\/\w+: gzip data is corrupt or truncated \(.+\)$/,
    )
  })

  test('an index.json over the JSON cap', async () => {
    const dir = await writeLayout(root, 'capped', await ociLayout(false))
    expect(await failure(dir, { maxJsonBytes: 64 })).toMatch(
      /^OCI layout .*: the OCI image index: index\.json is over the 64-byte limit for JSON$/,
    )
  })

  test('a layer that is not a tar', async () => {
    const layout = await ociLayout(false)
    const [path] = layout[1]
    const dir = await writeLayout(root, 'not-tar', [
      ...layout.slice(0, 1),
      [path, gzip(Buffer.from('{}'))],
      ...layout.slice(2),
    ])
    expect(await failure(dir)).toMatch(/blobs\/sha256\/\w+ is not a tar inside gzip \(.+\)$/)
  })
})
