import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { JsonReport } from '../../src/report/json-report.js'
import { estargzLayer } from '../sources/archive/estargz.js'
import {
  SAMPLE_CONTENT_BYTES,
  SAMPLE_ENTRIES,
  json,
  sha256,
  smallLayer,
} from '../sources/archive/fixtures.js'
import { kanikoLayout, layoutTar, type Layout } from '../sources/archive/layouts.js'
import { ROOT } from '../support/engines.js'
import { ensureBundle } from '../support/run-action.js'

/**
 * Layouts other tools write, through the built CLI (`node dist/cli.js --format json`): a kaniko
 * tarball (its image ID from manifest.json's Config), and an OCI layout with an eStargz layer and
 * an uncompressed layer that has bytes after its end-of-archive marker.
 */

let scratch: string
let kaniko: { path: string; configDigest: string }
let layout: { dir: string; contentBytes: number; blobBytes: number }

function writeTree(dir: string, files: Layout): void {
  for (const [path, data] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), data)
  }
}

async function stargzLayout(dir: string): Promise<typeof layout> {
  const stargz = await estargzLayer(SAMPLE_ENTRIES.map(({ counts: _c, ...spec }) => spec))
  const small = await smallLayer('etc/plain', 1500)
  const trailer = Buffer.from('not content: a trailer after the end-of-archive marker\n'.repeat(20))
  const plain = Buffer.concat([small, trailer])
  const files: Layout = [['oci-layout', json({ imageLayoutVersion: '1.0.0' })]]
  const blob = (mediaType: string, data: Buffer) => {
    files.push([`blobs/sha256/${sha256(data).slice(7)}`, data])
    return { mediaType, digest: sha256(data), size: data.length }
  }
  const layers = [
    blob('application/vnd.oci.image.layer.v1.tar+gzip', stargz.blob),
    blob('application/vnd.oci.image.layer.v1.tar', plain),
  ]
  const config = blob(
    'application/vnd.oci.image.config.v1+json',
    json({
      architecture: 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: [sha256(stargz.tar), sha256(plain)] },
      history: [{ created_by: 'COPY app /app' }, { created_by: 'COPY etc /etc' }],
    }),
  )
  const manifest = blob(
    'application/vnd.oci.image.manifest.v1+json',
    json({ schemaVersion: 2, config, layers }),
  )
  files.push(['index.json', json({ schemaVersion: 2, manifests: [manifest] })])
  writeTree(dir, files)
  return {
    dir,
    contentBytes: SAMPLE_CONTENT_BYTES + 1 + stargz.tocBytes + 1500,
    blobBytes: stargz.blob.length + plain.length,
  }
}

beforeAll(async () => {
  await ensureBundle()
  scratch = mkdtempSync(join(tmpdir(), 'isg-data-formats-'))
  const built = await kanikoLayout()
  kaniko = { path: join(scratch, 'kaniko.tar'), configDigest: built.configDigest }
  writeFileSync(kaniko.path, await layoutTar(built.layout))
  layout = await stargzLayout(join(scratch, 'stargz-layout'))
})

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true })
})

function compareJson(base: string, head: string): JsonReport {
  const run = spawnSync(
    'node',
    [join(ROOT, 'dist/cli.js'), 'compare', base, head, '--format', 'json'],
    { cwd: ROOT, encoding: 'utf8', timeout: 60_000 },
  )
  if (run.status !== 0) throw new Error(`exit ${run.status}: ${run.stderr}`)
  return JSON.parse(run.stdout) as JsonReport
}

describe('other tools’ layouts through the built CLI', () => {
  test('a kaniko tarball has its image ID; eStargz and plain layers count to their marker', () => {
    const report = compareJson(`docker-archive:${kaniko.path}`, `oci:${layout.dir}`)
    const [entry] = report.entries
    expect(entry.base?.id).toBe(kaniko.configDigest)
    expect(entry.head.sizeBytes).toBe(layout.contentBytes)
    // both layers' pull sizes are known: the eStargz blob and the uncompressed blob as stored
    expect(entry.head.compressedBytes).toBe(layout.blobBytes)
    expect(entry.head.layerCount).toBe(2)
  })
})
