/**
 * A registry image as the model: layers from the manifest, diff ids and build steps from the
 * config, paired the same way as for archives (the config's `empty_layer` flags make it exact).
 */
import type { LayerListing } from '../../model/files.js'
import type { ImageInfo, Layer, Platform } from '../../model/image.js'
import type { OciImageConfig, OciManifest } from '../../model/oci.js'
import { configInstructions } from '../../model/pair-history.js'
import { UserError } from '../../util/errors.js'

export interface RegistryImageParts {
  reference: string
  registry: string
  manifest: OciManifest
  /** Digest of the platform manifest */
  digest: string
  config: OciImageConfig
  platform?: Platform
  /** Content bytes per layer, manifest order; undefined when not measured */
  contentBytes?: number[]
  /** Each layer's entries, manifest order; undefined when not listed */
  listings?: Array<LayerListing | undefined>
}

export function toRegistryImageInfo(parts: RegistryImageParts): ImageInfo {
  const { reference, manifest, config } = parts
  const diffIds = config.rootfs.diff_ids
  if (diffIds.length !== manifest.layers.length) {
    throw new UserError(
      `${reference}: the manifest lists ${manifest.layers.length} layers but the config ${diffIds.length} diff ids`,
    )
  }
  const { instructions, notes } = configInstructions(config, diffIds, reference)
  const layers = manifest.layers.map((descriptor, i): Layer => ({
    diffId: diffIds[i],
    digest: descriptor.digest,
    instruction: instructions[i],
    uncompressedBytes: parts.contentBytes?.[i],
    compressedBytes: descriptor.size,
    ...(parts.listings?.[i] ? { listing: parts.listings[i] } : {}),
  }))
  return {
    reference,
    id: manifest.config.digest,
    digest: parts.digest,
    platform: parts.platform,
    origin: { kind: 'registry', registry: parts.registry },
    // the only origin of uncompressed figures here; with none measured, there are none to trace
    sizeOrigin: 'layer-content',
    env: config.config?.Env ?? undefined,
    layers,
    notes,
  }
}
