/**
 * From real layer tars through the layer reader's listing into the merged image: the
 * listing's whiteout and opaque paths, hard links, symlinks and captured files meet the merge.
 */
import { Readable } from 'node:stream'
import { describeImageFiles } from '../src/files/image-files.js'
import type { LayerListing } from '../src/model/files.js'
import { measureLayer } from '../src/sources/layers/layer-content.js'
import { buildTar, type TarSpec } from './sources/archive/fixtures.js'

async function listLayer(entries: TarSpec[]): Promise<LayerListing> {
  const stats = await measureLayer(Readable.from([await buildTar(entries)]), { list: true })
  if (!stats.listing) throw new Error('no listing')
  return stats.listing
}

describe('describeImageFiles from layer tars', () => {
  it('1. applies whiteouts, opaque markers, hard links and symlinks as read from tars', async () => {
    const layers = [
      await listLayer([
        { name: 'bin/', type: 'directory' },
        { name: 'bin/busybox', data: Buffer.alloc(1000) },
        { name: 'bin/sh', type: 'link', linkname: 'bin/busybox' },
        { name: 'bin/ls', type: 'symlink', linkname: '/bin/busybox' },
        { name: 'etc/', type: 'directory' },
        { name: 'etc/os-release', data: 'ID=alpine\nVERSION_ID=3.20.3\n' },
        { name: 'var/', type: 'directory' },
        { name: 'var/cache/', type: 'directory' },
        { name: 'var/cache/a', data: Buffer.alloc(300) },
        { name: 'tmp/', type: 'directory' },
        { name: 'tmp/build/', type: 'directory' },
        { name: 'tmp/build/x.o', data: Buffer.alloc(50) },
      ]),
      await listLayer([
        { name: 'var/', type: 'directory' },
        { name: 'var/cache/', type: 'directory' },
        { name: 'var/cache/.wh..wh..opq', data: '' },
        { name: 'var/cache/b', data: Buffer.alloc(20) },
        { name: 'tmp/', type: 'directory' },
        { name: 'tmp/.wh.build', data: '' },
        { name: 'app/', type: 'directory' },
        { name: 'app/.env', data: 'API_TOKEN=never-printed\n' },
      ]),
    ]
    const files = describeImageFiles(layers)
    expect([...files.view.keys()].sort()).toEqual([
      '/app/.env',
      '/bin/busybox',
      '/bin/ls',
      '/bin/sh',
      '/etc/os-release',
      '/var/cache/b',
    ])
    const envBytes = 'API_TOKEN=never-printed\n'.length
    const osBytes = 'ID=alpine\nVERSION_ID=3.20.3\n'.length
    // busybox once (the hard link is 0), the symlink's 12-byte target, the rest
    expect(files.bytes).toBe(1000 + 12 + osBytes + 20 + envBytes)
    expect(files.reclaimableBytes).toBe(300 + 50)
    expect(files.hidden.map((h) => [h.path, h.how, h.layer, h.hiddenBy])).toEqual([
      ['/var/cache/a', 'deleted', 1, 2],
      ['/tmp/build/x.o', 'deleted', 1, 2],
    ])
    expect(files.os).toEqual({ id: 'alpine', versionId: '3.20.3', prettyName: null })
    expect(files.secrets).toEqual([
      { path: '/app/.env', kind: 'env-file', layer: 2, visible: true },
    ])
    expect(JSON.stringify(files.secrets)).not.toContain('never-printed')
  })
})
