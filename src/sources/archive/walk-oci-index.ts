/**
 * index.json → (nested indexes →) manifests → config and layers, for OCI image layouts and the
 * OCI-flavoured archives Docker 25+ writes.
 * https://github.com/opencontainers/image-spec/blob/main/image-layout.md
 */
import type { OciDescriptor, OciManifest } from '../../model/oci.js'
import { UserError } from '../../util/errors.js'
import { blobPath, checkedArchivePath } from './archive-paths.js'
import { isRecord, validate } from '../../util/json-check.js'
import { ociIndex, ociManifest, type DockerManifestEntry } from '../oci/oci-shapes.js'
import { platformOf } from '../oci/choose-platform.js'
import { readConfig, readLayers } from './read-config-and-layers.js'
import type { ArchiveImage, BlobSource } from './types.js'

/** BuildKit's attestation manifests sit in the index beside the images they describe. */
const REFERENCE_TYPE = 'vnd.docker.reference.type'
const REF_NAME = 'org.opencontainers.image.ref.name'
const CONTAINERD_NAME = 'io.containerd.image.name'
const IMAGE_CONFIG_TYPES = new Set([
  'application/vnd.oci.image.config.v1+json',
  'application/vnd.docker.container.image.v1+json',
])
/** Indexes nested deeper than this are refused (a cycle, or not an image) */
const MAX_DEPTH = 4

interface Walk {
  source: BlobSource
  /** docker's manifest.json, for RepoTags; empty for plain OCI layouts */
  dockerEntries: DockerManifestEntry[]
  notes: string[]
  images: ArchiveImage[]
}

function describe(descriptor: OciDescriptor): string {
  const p = descriptor.platform
  const platform = p ? ` (${[p.os, p.architecture, p.variant].filter(Boolean).join('/')})` : ''
  return `manifest ${descriptor.digest}${platform}`
}

function repoTagsOf(walk: Walk, configPath: string): string[] {
  return walk.dockerEntries
    .filter(
      (entry) =>
        checkedArchivePath(entry.Config, `${walk.source.label}: manifest.json Config`) ===
        configPath,
    )
    .flatMap((entry) => entry.RepoTags ?? [])
}

async function resolveManifest(
  walk: Walk,
  descriptor: OciDescriptor,
  manifest: OciManifest,
  names: Record<string, string>,
): Promise<void> {
  const label = describe(descriptor)
  if (!IMAGE_CONFIG_TYPES.has(manifest.config.mediaType)) {
    walk.notes.push(`skipped ${label}: config type ${manifest.config.mediaType} is not an image`)
    return
  }
  const configPath = blobPath(manifest.config.digest)
  const { config } = await readConfig(walk.source, configPath, `config of ${label}`)
  const refs = manifest.layers.map((layer) => ({
    path: blobPath(layer.digest),
    digest: layer.digest,
    descriptor: layer,
  }))
  const image: ArchiveImage = {
    id: manifest.config.digest,
    config,
    manifestDescriptor: descriptor,
    manifest,
    repoTags: repoTagsOf(walk, configPath),
    platform: descriptor.platform ?? platformOf(config),
    layers: await readLayers(walk.source, config, refs, label),
  }
  if (names[REF_NAME] !== undefined) image.refName = names[REF_NAME]
  if (names[CONTAINERD_NAME] !== undefined) image.imageName = names[CONTAINERD_NAME]
  walk.images.push(image)
}

/** An index lists `manifests`; a manifest has a `config` and `layers`. */
function documentKind(value: unknown): 'manifest' | 'index' | undefined {
  if (!isRecord(value)) return undefined
  if ('manifests' in value) return 'index'
  return 'config' in value || 'layers' in value ? 'manifest' : undefined
}

/**
 * Follows one index entry. A platform manifest of a nested index that the archive does not hold
 * (a partial multi-platform save) is skipped with a note; a missing top-level one is an error.
 */
async function follow(
  walk: Walk,
  descriptor: OciDescriptor,
  depth: number,
  names: Record<string, string>,
): Promise<void> {
  const label = describe(descriptor)
  if (descriptor.annotations?.[REFERENCE_TYPE] === 'attestation-manifest') {
    walk.notes.push(`skipped attestation ${label}`)
    return
  }
  const path = blobPath(descriptor.digest)
  if (depth > 0 && !(await walk.source.has(path))) {
    walk.notes.push(`skipped ${label}: not in the ${walk.source.label}`)
    return
  }
  const { value } = await walk.source.readJson(path, label)
  const kind = documentKind(value)
  if (kind === undefined) {
    throw new UserError(
      `${walk.source.label}: ${path} (${label}) is neither a manifest nor an index`,
    )
  }
  const what = `${walk.source.label} has an invalid ${kind} ${path}`
  if (kind === 'manifest') {
    return resolveManifest(walk, descriptor, validate(ociManifest, value, what), names)
  }
  const document = validate(ociIndex, value, what)
  if (depth >= MAX_DEPTH)
    throw new UserError(`${walk.source.label}: indexes nest too deep at ${path}`)
  for (const child of document.manifests) {
    await follow(walk, child, depth + 1, { ...names, ...child.annotations })
  }
}

/** Every image that index.json leads to, in index order; attestation manifests are left out. */
export async function walkOciIndex(
  source: BlobSource,
  dockerEntries: DockerManifestEntry[],
  notes: string[],
): Promise<ArchiveImage[]> {
  const { value } = await source.readJson('index.json', 'the OCI image index')
  const index = validate(ociIndex, value, `${source.label} has an invalid index.json`)
  const walk: Walk = { source, dockerEntries, notes, images: [] }
  for (const descriptor of index.manifests) {
    await follow(walk, descriptor, 0, { ...descriptor.annotations })
  }
  return walk.images
}
