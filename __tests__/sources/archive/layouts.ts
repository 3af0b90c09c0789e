/**
 * Image archives as docker save and OCI tools lay them out, built from the synthetic layers of
 * fixtures.ts: a list of [path, bytes] files that tests tar up (in any order) or write to a dir.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { OciDescriptor } from '../../../src/model/oci.js'
import {
  SAMPLE_CONTENT_BYTES,
  buildTar,
  gzip,
  json,
  sampleLayer,
  sampleZstdFixture,
  sha256,
  smallLayer,
  type TarSpec,
} from './fixtures.js'

export type Layout = Array<[path: string, data: Buffer]>

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json'
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json'
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json'
const REF_NAME = 'org.opencontainers.image.ref.name'

export function layoutTar(layout: Layout, extra: TarSpec[] = []): Promise<Buffer> {
  return buildTar([...layout.map(([name, data]) => ({ name, data })), ...extra])
}

/** Adds `data` as blobs/sha256/<hex> and returns its descriptor. */
function addBlob(layout: Layout, mediaType: string, data: Buffer): OciDescriptor {
  const digest = sha256(data)
  layout.push([`blobs/sha256/${digest.slice(7)}`, data])
  return { mediaType, digest, size: data.length }
}

function config(diffIds: string[], architecture = 'amd64'): Buffer {
  const history = diffIds.map((_, i) => ({ created_by: `RUN step ${i}` }))
  return json({ architecture, os: 'linux', rootfs: { type: 'layers', diff_ids: diffIds }, history })
}

const LEGACY_IDS = ['a'.repeat(64), 'b'.repeat(64), '0'.repeat(64)]

/**
 * Classic `docker save`: `<id>/layer.tar` per layer; the third layer repeats the first and is a
 * symlink to it, whose entry comes first (its id sorts first, as docker writes them).
 */
export async function legacyLayout(): Promise<{ layout: Layout; links: TarSpec[] }> {
  const [first, second] = [await sampleLayer(), await smallLayer('etc/conf', 3000)]
  const configBytes = config([sha256(first), sha256(second), sha256(first)])
  const configName = `${sha256(configBytes).slice(7)}.json`
  const [id1, id2, id0] = LEGACY_IDS
  const manifest = [
    {
      Config: configName,
      RepoTags: ['isg-test/archive-legacy:1'],
      Layers: [`${id1}/layer.tar`, `${id2}/layer.tar`, `${id0}/layer.tar`],
    },
  ]
  const layout: Layout = [
    [`${id0}/VERSION`, Buffer.from('1.0')],
    [`${id0}/json`, json({ id: id0 })],
    [`${id1}/VERSION`, Buffer.from('1.0')],
    [`${id1}/json`, json({ id: id1 })],
    [`${id1}/layer.tar`, first],
    [`${id2}/VERSION`, Buffer.from('1.0')],
    [`${id2}/json`, json({ id: id2 })],
    [`${id2}/layer.tar`, second],
    [configName, configBytes],
    ['manifest.json', json(manifest)],
    ['repositories', json({ 'isg-test/archive-legacy': { '1': id0 } })],
  ]
  const links: TarSpec[] = [
    { name: `${id0}/layer.tar`, type: 'symlink', linkname: `../${id1}/layer.tar` },
  ]
  return { layout, links }
}

/**
 * Docker 25+ `docker save`: an OCI layout plus manifest.json. One image with a gzip, a zstd and
 * an uncompressed layer.
 */
export async function ociLayout(withDockerManifest = true): Promise<Layout> {
  const layout: Layout = [['oci-layout', json({ imageLayoutVersion: '1.0.0' })]]
  const sample = await sampleLayer()
  const small = await smallLayer('etc/small', 700)
  const layers = [
    addBlob(layout, 'application/vnd.oci.image.layer.v1.tar+gzip', gzip(sample)),
    addBlob(layout, 'application/vnd.oci.image.layer.v1.tar+zstd', sampleZstdFixture()),
    addBlob(layout, 'application/vnd.oci.image.layer.v1.tar', small),
  ]
  const configDesc = addBlob(
    layout,
    OCI_CONFIG,
    config([sha256(sample), sha256(sample), sha256(small)]),
  )
  const manifest = { schemaVersion: 2, mediaType: OCI_MANIFEST, config: configDesc, layers }
  const manifestDesc = addBlob(layout, OCI_MANIFEST, json(manifest))
  manifestDesc.annotations = {
    'io.containerd.image.name': 'docker.io/isg-test/archive-oci:v1',
    [REF_NAME]: 'v1',
  }
  layout.push([
    'index.json',
    json({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [manifestDesc] }),
  ])
  if (withDockerManifest) {
    const Layers = layers.map((layer) => `blobs/sha256/${layer.digest.slice(7)}`)
    const entry = {
      Config: `blobs/sha256/${configDesc.digest.slice(7)}`,
      RepoTags: ['isg-test/archive-oci:v1'],
      Layers,
    }
    layout.push(['manifest.json', json([entry])])
  }
  return layout
}

export const OCI_EXPECTED_CONTENT = [SAMPLE_CONTENT_BYTES, SAMPLE_CONTENT_BYTES, 700]

async function platformImage(
  layout: Layout,
  architecture: string,
  bytes: number,
): Promise<OciDescriptor> {
  const tar = await smallLayer(`bin/${architecture}`, bytes)
  const layer = addBlob(layout, 'application/vnd.oci.image.layer.v1.tar+gzip', gzip(tar))
  const configDesc = addBlob(layout, OCI_CONFIG, config([sha256(tar)], architecture))
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: configDesc,
    layers: [layer],
  }
  const desc = addBlob(layout, OCI_MANIFEST, json(manifest))
  desc.platform = { os: 'linux', architecture }
  return desc
}

/**
 * A multi-platform OCI layout: index.json → nested index → amd64 and arm64 images, an attestation
 * manifest (skipped) and an arm/v7 manifest the layout does not hold (skipped with a note).
 */
export async function multiPlatformLayout(): Promise<Layout> {
  const layout: Layout = [['oci-layout', json({ imageLayoutVersion: '1.0.0' })]]
  const amd64 = await platformImage(layout, 'amd64', 1111)
  const arm64 = await platformImage(layout, 'arm64', 2222)
  const statement = addBlob(
    layout,
    'application/vnd.in-toto+json',
    json({ _type: 'https://in-toto.io/Statement/v0.1' }),
  )
  const attestationConfig = addBlob(
    layout,
    OCI_CONFIG,
    json({ architecture: 'unknown', os: 'unknown', rootfs: { type: 'layers', diff_ids: [] } }),
  )
  const attestation = addBlob(
    layout,
    OCI_MANIFEST,
    json({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: attestationConfig,
      layers: [statement],
    }),
  )
  attestation.platform = { os: 'unknown', architecture: 'unknown' }
  attestation.annotations = {
    'vnd.docker.reference.type': 'attestation-manifest',
    'vnd.docker.reference.digest': amd64.digest,
  }
  const missing: OciDescriptor = {
    mediaType: OCI_MANIFEST,
    digest: `sha256:${'7'.repeat(64)}`,
    size: 500,
    platform: { os: 'linux', architecture: 'arm', variant: 'v7' },
  }
  const nested = addBlob(
    layout,
    OCI_INDEX,
    json({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [amd64, arm64, attestation, missing],
    }),
  )
  nested.annotations = { [REF_NAME]: 'multi' }
  layout.push(['index.json', json({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [nested] })])
  return layout
}

/**
 * What kaniko's `--tar-path` writes (go-containerregistry's `tarball.Write`): the config under
 * its digest `sha256:<hex>` (a name that is neither `<hex>.json` nor a blob path), layers as
 * `<hex of the compressed blob>.tar.gz`, manifest.json last, and no `repositories` file.
 */
export async function kanikoLayout(repoTags: string[] | null = ['isg-test/kaniko:1']): Promise<{
  layout: Layout
  configDigest: string
}> {
  const tars = [await sampleLayer(), await smallLayer('app/kaniko', 2500)]
  const blobs = tars.map((tar) => gzip(tar))
  const configBytes = json({
    architecture: 'amd64',
    os: 'linux',
    rootfs: { type: 'layers', diff_ids: tars.map((tar) => sha256(tar)) },
    config: { Env: ['PATH=/usr/bin'] },
    history: [{ created_by: 'kaniko step 1' }, { created_by: 'kaniko step 2' }],
  })
  const configDigest = sha256(configBytes)
  const layerNames = blobs.map((blob) => `${sha256(blob).slice(7)}.tar.gz`)
  const layout: Layout = [
    [configDigest, configBytes],
    ...blobs.map((blob, i): [string, Buffer] => [layerNames[i], blob]),
    ['manifest.json', json([{ Config: configDigest, RepoTags: repoTags, Layers: layerNames }])],
  ]
  return { layout, configDigest }
}

/** Writes a layout's files under `root/name` (an OCI layout directory); returns that directory. */
export async function writeLayout(root: string, name: string, layout: Layout): Promise<string> {
  const dir = join(root, name)
  for (const [path, data] of layout) {
    await mkdir(dirname(join(dir, path)), { recursive: true })
    await writeFile(join(dir, path), data)
  }
  return dir
}
