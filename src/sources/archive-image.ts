import { formatPlatform, type ImageInfo, type ImageOrigin, type Platform } from '../model/image.js'
import { pairHistory } from '../model/pair-history.js'
import { UserError } from '../util/errors.js'
import type { ArchiveContents, ArchiveImage } from './archive/types.js'

/**
 * An image read from an archive (docker save, OCI layout) as the model. The config's history
 * has `empty_layer` flags, so steps pair with layers exactly; sizes are counted from content.
 */
export function toImageInfo(
  image: ArchiveImage,
  reference: string,
  origin: ImageOrigin,
): ImageInfo {
  const steps = (image.config.history ?? []).map((h) => ({
    createdBy: h.created_by ?? '',
    emptyLayer: h.empty_layer ?? false,
  }))
  const pairing = pairHistory(
    steps,
    image.layers.map((l) => l.diffId),
  )
  const notes = pairing.ok
    ? []
    : [
        `${reference}: the history does not match the layers (${pairing.reason}); build steps are not shown`,
      ]
  return {
    reference,
    id: image.id,
    digest: image.manifestDescriptor?.digest,
    platform: image.platform,
    origin,
    sizeOrigin: 'layer-content',
    layers: image.layers.map((layer, i) => ({
      diffId: layer.diffId,
      digest: layer.digest,
      instruction: pairing.ok ? pairing.layers[i].instruction : '',
      uncompressedBytes: layer.uncompressedBytes,
      compressedBytes: layer.compressedBytes,
    })),
    notes,
  }
}

/** Picks the image for a platform (default: the only one, else the first). */
export function selectArchiveImage(
  contents: ArchiveContents,
  label: string,
  platform?: Platform,
): ArchiveImage {
  const { images } = contents
  if (images.length === 0) throw new UserError(`${label} holds no image`)
  if (!platform) return images[0]
  const match = images.find(
    (i) =>
      i.platform?.os === platform.os &&
      i.platform.architecture === platform.architecture &&
      (!platform.variant || !i.platform.variant || i.platform.variant === platform.variant),
  )
  if (match) return match
  if (images.length === 1 && !images[0].platform) return images[0]
  throw new UserError(
    `${label} has no image for ${formatPlatform(platform)}; it has ${images.map((i) => formatPlatform(i.platform)).join(', ')}`,
  )
}
