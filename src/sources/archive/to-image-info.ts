import type { ImageInfo, ImageOrigin } from '../../model/image.js'
import { configInstructions } from '../../model/pair-history.js'
import type { ArchiveImage } from './types.js'

/**
 * An image read from an archive (docker save, OCI layout) as the model. The config's history
 * has `empty_layer` flags, so steps pair with layers exactly; sizes are counted from content.
 */
export function toImageInfo(
  image: ArchiveImage,
  reference: string,
  origin: ImageOrigin,
): ImageInfo {
  const { instructions, notes } = configInstructions(
    image.config,
    image.layers.map((l) => l.diffId),
    reference,
  )
  return {
    reference,
    id: image.id,
    digest: image.manifestDescriptor?.digest,
    platform: image.platform,
    origin,
    sizeOrigin: 'layer-content',
    env: image.config.config?.Env ?? undefined,
    layers: image.layers.map((layer, i) => ({
      diffId: layer.diffId,
      digest: layer.digest,
      instruction: instructions[i],
      uncompressedBytes: layer.uncompressedBytes,
      compressedBytes: layer.compressedBytes,
      ...(layer.listing ? { listing: layer.listing } : {}),
    })),
    notes,
  }
}
