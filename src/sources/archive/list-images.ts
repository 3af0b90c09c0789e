/**
 * From the blobs of an archive or layout to its images. Shared by the archive reader (everything
 * already read in one pass) and the OCI directory reader (reads on demand).
 *
 * - index.json present (OCI layout, Docker 25+ save): images come from the index; docker's
 *   manifest.json, when present too, only adds RepoTags.
 * - manifest.json only (classic `docker save`): images come from its entries.
 */
import { UserError } from '../../util/errors.js'
import { checkedArchivePath, digestOfPath } from './archive-paths.js'
import { validate } from '../../util/json-check.js'
import { dockerManifest, type DockerManifestEntry } from '../oci/oci-shapes.js'
import { platformOf } from '../oci/choose-platform.js'
import { readConfig, readLayers } from './read-config-and-layers.js'
import { walkOciIndex } from './walk-oci-index.js'
import type { ArchiveContents, ArchiveImage, BlobSource } from './types.js'

async function readDockerManifest(source: BlobSource): Promise<DockerManifestEntry[]> {
  const document = await source.readJson('manifest.json', "docker's image list")
  return validate(dockerManifest, document.value, `${source.label} has an invalid manifest.json`)
}

async function resolveDockerEntry(
  source: BlobSource,
  entry: DockerManifestEntry,
): Promise<ArchiveImage> {
  const configPath = checkedArchivePath(entry.Config, `${source.label}: manifest.json Config`)
  const repoTags = entry.RepoTags ?? []
  const label = `image ${repoTags[0] ?? digestOfPath(configPath) ?? configPath}`
  // The image ID is the digest of the config's bytes, whatever the file is called: legacy saves
  // name it `<hex>.json`, kaniko and crane (go-containerregistry's tarball) `sha256:<hex>`.
  const { config, digest: id } = await readConfig(source, configPath, `config of ${label}`)
  const refs = entry.Layers.map((layer) => {
    const path = checkedArchivePath(layer, `${source.label}: manifest.json Layers of ${label}`)
    return { path, digest: path.startsWith('blobs/') ? digestOfPath(path) : undefined }
  })
  const image: ArchiveImage = {
    config,
    repoTags,
    platform: platformOf(config),
    layers: await readLayers(source, config, refs, label),
    id,
  }
  return image
}

/** Resolves every image in `source`; `layout` says how the caller got at the blobs. */
export async function listImages(
  source: BlobSource,
  layout: 'archive' | 'directory',
): Promise<ArchiveContents> {
  const [hasIndex, hasManifest] = await Promise.all([
    source.has('index.json'),
    source.has('manifest.json'),
  ])
  if (!hasIndex && !hasManifest) {
    throw new UserError(
      `${source.label} has neither index.json nor manifest.json: not a docker save archive or an OCI image layout`,
    )
  }
  const dockerEntries = hasManifest ? await readDockerManifest(source) : []
  const notes: string[] = []
  const images: ArchiveImage[] = []
  if (hasIndex) images.push(...(await walkOciIndex(source, dockerEntries, notes)))
  else for (const entry of dockerEntries) images.push(await resolveDockerEntry(source, entry))
  if (images.length === 0) {
    const why = notes.length > 0 ? ` (${notes.join('; ')})` : ''
    throw new UserError(`${source.label} holds no image${why}`)
  }
  const format = layout === 'directory' ? 'oci' : hasManifest ? 'docker-archive' : 'oci-archive'
  return { format, images, notes }
}
