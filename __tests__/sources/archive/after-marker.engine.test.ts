/**
 * What follows a layer's end-of-archive marker, checked against the classic engine itself:
 * each layer is loaded with `docker load` (Go's archive/tar stops at the marker) and its
 * `docker history` Size is what the archive reader must count. The eStargz layer's TOC
 * (`stargz.index.json`) and landmark are tar entries before the marker, files the engine
 * extracts; its footer after the marker is not content.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { readImageArchive } from '../../../src/sources/archive/read-archive.js'
import { dockerCli, ENGINES, historySizes, requireEngine } from '../../support/engines.js'
import { estargzFooter, estargzLayer } from './estargz.js'
import {
  SAMPLE_ENTRIES,
  buildTar,
  chunked,
  gzip,
  json,
  pseudoRandom,
  sampleLayer,
  sha256,
  smallLayer,
} from './fixtures.js'
import { kanikoLayout, layoutTar } from './layouts.js'

const [classic] = ENGINES
const REPOSITORY = `isg-data/after-marker-${process.pid}`
let scratch: string
const loaded: string[] = []

/** A legacy docker save archive of one image with one layer stored as `blob`. */
async function archiveOf(tag: string, blob: Buffer): Promise<Buffer> {
  const whole = blob[0] === 0x1f && blob[1] === 0x8b ? gunzipSync(blob) : blob
  const config = json({
    architecture: 'amd64',
    os: 'linux',
    rootfs: { type: 'layers', diff_ids: [sha256(whole)] },
    history: [{ created_by: `ADD ${tag} /` }],
  })
  const configName = `${sha256(config).slice(7)}.json`
  const layerDir = sha256(blob).slice(7)
  const manifest = [
    { Config: configName, RepoTags: [`${REPOSITORY}:${tag}`], Layers: [`${layerDir}/layer.tar`] },
  ]
  return layoutTar([
    [`${layerDir}/layer.tar`, blob],
    [configName, config],
    ['manifest.json', json(manifest)],
  ])
}

const VARIANTS: Array<[string, () => Promise<Buffer>]> = [
  [
    'estargz',
    async () => (await estargzLayer(SAMPLE_ENTRIES.map(({ counts: _c, ...s }) => s))).blob,
  ],
  [
    'toc-after-marker',
    async () => {
      const first = gzip(await sampleLayer())
      const toc = await buildTar([{ name: 'stargz.index.json', data: pseudoRandom(3000, 'toc') }])
      return Buffer.concat([first, gzip(toc), estargzFooter(first.length)])
    },
  ],
  [
    'second-tar',
    async () => Buffer.concat([await sampleLayer(), await smallLayer('etc/after', 5000)]),
  ],
]

beforeAll(() => {
  requireEngine(classic)
  scratch = mkdtempSync(join(tmpdir(), 'isg-data-after-marker-'))
})

afterAll(() => {
  if (loaded.length > 0) dockerCli(classic, ['rmi', ...loaded])
  rmSync(scratch, { recursive: true, force: true })
})

describe('bytes after the end-of-archive marker, as the classic engine counts them', () => {
  test.each(VARIANTS)('%s', async (tag, make) => {
    const archive = await archiveOf(tag, await make())
    const path = join(scratch, `${tag}.tar`)
    writeFileSync(path, archive)
    dockerCli(classic, ['load', '-i', path])
    loaded.push(`${REPOSITORY}:${tag}`)
    const [engineSize] = historySizes(classic, `${REPOSITORY}:${tag}`)
    const contents = await readImageArchive(chunked(archive, 65536))
    expect(contents.images[0].layers.map((l) => l.uncompressedBytes)).toEqual([engineSize])
  })
})

describe('a kaniko tarball (go-containerregistry tarball.Write) in the classic engine', () => {
  test('docker load gives the image ID the archive reader gives: the config digest', async () => {
    const tag = `${REPOSITORY}:kaniko`
    const { layout, configDigest } = await kanikoLayout([tag])
    const archive = await layoutTar(layout)
    const path = join(scratch, 'kaniko.tar')
    writeFileSync(path, archive)
    dockerCli(classic, ['load', '-i', path])
    loaded.push(tag)
    const engineId = dockerCli(classic, ['image', 'inspect', '--format', '{{.Id}}', tag]).trim()
    const contents = await readImageArchive(chunked(archive, 65536))
    expect(contents.images[0].id).toBe(engineId)
    expect(engineId).toBe(configDigest)
    expect(contents.images[0].layers.map((l) => l.uncompressedBytes)).toEqual(
      historySizes(classic, tag),
    )
  })
})
