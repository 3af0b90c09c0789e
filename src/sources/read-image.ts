import type Docker from 'dockerode'
import type { ImageInfo, Platform } from '../model/image.js'
import type { ImageSourceRef } from '../model/reference.js'
import type { Logger } from '../util/log.js'
import type { CredentialOptions } from './credentials/index.js'
import type { BlobReader } from './registry/blob-reader.js'

/** What every image source may use. Clients are injectable; defaults are made on first use. */
export interface SourceContext {
  log: Logger
  credentials: CredentialOptions
  /** Docker engine client; default: from DOCKER_HOST, as the docker CLI does */
  docker?: Docker
  /** The platform to read from multi-platform sources; default: the one there is, or the first */
  platform?: Platform
  /**
   * Whether uncompressed (content) sizes are needed. A registry knows only compressed sizes;
   * for content sizes it streams every layer blob (never stored) through the tar reader.
   */
  measureContent?: boolean
  /**
   * Whether to list every layer's entries (`Layer.listing`) for the file analysis. A layer
   * that both images share is read once, and its listing is the same object in both.
   */
  listFiles?: boolean
  /** fetch for registries; default: the global one */
  fetch?: typeof fetch
  /** Registries spoken to over plain HTTP besides loopback ones */
  insecureRegistries?: string[]
}

/** What the two reads of a pair share (see read-image-pair.ts) */
export interface PairShare {
  /** Registry layer blobs: one that both images hold is downloaded once */
  blobs?: BlobReader
}

/** Reads one image from the source its reference names. */
export async function readImage(
  ref: ImageSourceRef,
  context: SourceContext,
  share: PairShare = {},
): Promise<ImageInfo> {
  switch (ref.transport) {
    case 'engine': {
      // Loaded on first use: dockerode and its dependencies are most of the bundle's weight.
      const { readEngineImage } = await import('./engine/engine-source.js')
      return readEngineImage(ref.reference, { ...context, pull: ref.pull })
    }
    case 'registry': {
      const { readRegistryImage } = await import('./registry/registry-source.js')
      return readRegistryImage(ref.reference, {
        credentials: context.credentials,
        log: context.log,
        platform: context.platform,
        measureContent: context.measureContent ?? true,
        fetch: context.fetch,
        insecureRegistries: context.insecureRegistries,
        listFiles: context.listFiles,
        blobs: share.blobs,
      })
    }
    case 'docker-archive':
    case 'oci-archive':
    case 'oci': {
      const { readArchiveImage } = await import('./archive/archive-source.js')
      return readArchiveImage(ref, context.platform, { listFiles: context.listFiles })
    }
  }
}
