/**
 * The part of resolving an image that docker's manifest.json and OCI manifests share: its config
 * and its layers in order, each matched to `config.rootfs.diff_ids[i]`.
 */
import type { OciDescriptor, OciImageConfig } from '../../model/oci.js'
import { UserError } from '../../util/errors.js'
import { validate } from '../../util/json-check.js'
import { ociImageConfig } from '../oci/oci-shapes.js'
import type { ArchiveLayer, BlobSource } from './types.js'
import type { LayerStats } from '../layers/layer-content.js'

/** A layer as a manifest names it. */
export interface LayerRef {
  /** Path of the layer blob or layer.tar inside the archive */
  path: string
  /** Blob digest, where the archive names it */
  digest?: string
  /** The manifest's descriptor (OCI), whose `size` must match the stored blob */
  descriptor?: OciDescriptor
}

/** An image config, checked field by field, and its digest (the image ID). */
export async function readConfig(
  source: BlobSource,
  path: string,
  purpose: string,
): Promise<{ config: OciImageConfig; digest: string }> {
  const document = await source.readJson(path, purpose)
  const config = validate(
    ociImageConfig,
    document.value,
    `${source.label} has an invalid config ${path}`,
  )
  return { config, digest: document.digest }
}

async function readLayer(
  source: BlobSource,
  ref: LayerRef,
  diffId: string,
  purpose: string,
): Promise<ArchiveLayer> {
  const stats = await source.measure(ref.path, purpose)
  const declared = ref.descriptor?.size
  if (declared !== undefined && declared !== stats.blobBytes) {
    throw new UserError(
      `${source.label}: ${ref.path} (${purpose}) is ${stats.blobBytes} bytes but its manifest says ${declared}`,
    )
  }
  checkLayerDigest(source.label, ref, diffId, stats, purpose)
  const layer: ArchiveLayer = {
    diffId,
    uncompressedBytes: stats.contentBytes,
    compression: stats.compression,
  }
  if (stats.listing !== undefined) layer.listing = stats.listing
  if (ref.digest !== undefined) layer.digest = ref.digest
  if (ref.descriptor !== undefined) layer.mediaType = ref.descriptor.mediaType
  if (stats.compression !== 'none' || isUncompressedLayerType(ref.descriptor?.mediaType)) {
    layer.compressedBytes = stats.blobBytes
  }
  return layer
}

/**
 * Layer types stored as a plain tar. A manifest that names one says the registry serves the blob
 * as it is, so its size is the pull size. A legacy `<id>/layer.tar` has no such manifest: a push
 * would compress it, and its pull size is not known.
 */
const UNCOMPRESSED_LAYER_TYPES = new Set([
  'application/vnd.oci.image.layer.v1.tar',
  'application/vnd.docker.image.rootfs.diff.tar',
])

function isUncompressedLayerType(mediaType: string | undefined): boolean {
  return mediaType !== undefined && UNCOMPRESSED_LAYER_TYPES.has(mediaType)
}

/** Measures the layers `refs` names, base first; their count must match the config's diff_ids. */
export async function readLayers(
  source: BlobSource,
  config: OciImageConfig,
  refs: LayerRef[],
  imageLabel: string,
): Promise<ArchiveLayer[]> {
  const diffIds = config.rootfs.diff_ids
  if (refs.length !== diffIds.length) {
    throw new UserError(
      `${source.label}: ${imageLabel} lists ${refs.length} layers but its config's rootfs.diff_ids has ${diffIds.length}`,
    )
  }
  const layers: ArchiveLayer[] = []
  for (const [i, ref] of refs.entries()) {
    layers.push(await readLayer(source, ref, diffIds[i], `layer ${i + 1} of ${imageLabel}`))
  }
  return layers
}

/**
 * A blob's bytes against the digest that names it (its descriptor's, for OCI layouts); an
 * uncompressed layer's also against its diff id. Corrupt bytes must not be measured as the image.
 */
function checkLayerDigest(
  label: string,
  ref: LayerRef,
  diffId: string,
  stats: LayerStats,
  purpose: string,
): void {
  const actual = stats.digest
  if (actual === undefined) return
  const expected = ref.digest?.startsWith('sha256:')
    ? { digest: ref.digest, what: 'its digest' }
    : stats.compression === 'none' && diffId.startsWith('sha256:')
      ? { digest: diffId, what: "its config's diff id" }
      : undefined
  if (expected && expected.digest !== actual) {
    throw new UserError(
      `${label}: ${ref.path} (${purpose}) does not match ${expected.what} ${expected.digest}: its bytes hash to ${actual}; the archive is corrupt, export it again`,
    )
  }
}
