/**
 * The one model every stage speaks: an image and its layers, as read from any source.
 * Plain data, no behaviour. All byte counts are integers of bytes.
 */
import type { LayerListing } from './files.js'

/**
 * What a byte count measures. Numbers of different bases are never compared.
 * - `uncompressed`: layer content size, the overlay2 engine's `docker history` definition:
 *   bytes of regular files plus the length of symlink targets, hard links counted once.
 * - `compressed`: bytes of the layer blob as stored in a registry (what `docker pull` downloads).
 */
export type SizeBasis = 'uncompressed' | 'compressed'

export interface Platform {
  os: string
  architecture: string
  variant?: string
}

/** Where an image was read from, and how its figures were obtained. */
export type ImageOrigin =
  | {
      kind: 'engine'
      /** `overlay2` graph driver, or the `containerd` image store (snapshotter) */
      store: 'overlay2' | 'containerd' | 'other'
      /** Storage driver name as `/info` reports it (overlay2, overlayfs, ...) */
      driver: string
      engineVersion: string
      apiVersion: string
      /** The engine's address (the engine source always sets it) */
      endpoint?: EngineAddress
    }
  | { kind: 'registry'; registry: string }
  | { kind: 'archive'; format: 'docker-archive' | 'oci-archive' | 'oci'; path: string }

/** Which engine: its address, never with a user name or password, and the context that chose it. */
export interface EngineAddress {
  /** `unix:///var/run/docker.sock`, `tcp://10.0.0.5:2376`, `ssh://build-host:22` */
  host: string
  /** The docker CLI context it came from; undefined for DOCKER_HOST or the default socket */
  context?: string
}

/** Where a layer's uncompressed figure comes from, so every number can be traced. */
export type SizeOrigin =
  /** the engine's `docker history` Size (overlay2: content size) */
  | 'history'
  /** counted from the layer's tar stream */
  | 'layer-content'

export interface Layer {
  /** Uncompressed layer digest (config `rootfs.diff_ids[i]`), `sha256:…` */
  diffId: string
  /** Compressed blob digest, where the source knows it (registry, containerd store, OCI layout) */
  digest?: string
  /** Build step that created the layer (history `created_by`). Untrusted: comes from the PR. */
  instruction: string
  /** Content bytes (basis `uncompressed`); undefined when the source could not tell */
  uncompressedBytes?: number
  /** Blob bytes (basis `compressed`); undefined when not known */
  compressedBytes?: number
  /**
   * Every entry of the layer, when the file analysis is on. A layer that base and PR share is
   * read once and its listing is the same object in both images.
   */
  listing?: LayerListing
}

export interface ImageInfo {
  /** The reference as the user wrote it */
  reference: string
  /** Image ID: the config digest, `sha256:…` */
  id?: string
  /** Manifest (repo) digest, where known */
  digest?: string
  platform?: Platform
  origin: ImageOrigin
  /** Origin of every `uncompressedBytes` figure of this image */
  sizeOrigin: SizeOrigin
  /** Layers, bottom (base) first */
  layers: Layer[]
  /** The image's environment (config Env, `NAME=value`), where the source has the config */
  env?: string[]
  /** Things the reader had to say about this image (history mismatch, …) */
  notes: string[]
}

/** The image store / origin in words, for footers and logs. */
export function describeOrigin(origin: ImageOrigin): string {
  switch (origin.kind) {
    case 'engine':
      return `Docker ${origin.engineVersion} (API ${origin.apiVersion}), ${origin.store === 'containerd' ? 'containerd image store' : origin.store === 'overlay2' ? 'overlay2 graph driver' : `${origin.driver} storage driver`}`
    case 'registry':
      return `registry ${origin.registry}`
    case 'archive':
      return `${origin.format} ${origin.path}`
  }
}

/** `unix:///tmp/d26.sock (context "d26")`; undefined when the origin is not an engine's. */
export function describeEngineAddress(origin: ImageOrigin): string | undefined {
  if (origin.kind !== 'engine' || !origin.endpoint) return undefined
  const { host, context } = origin.endpoint
  return context === undefined ? host : `${host} (context "${context}")`
}

/** `linux/arm64/v8`; "unknown platform" when the source did not say. */
export function formatPlatform(p: Platform | undefined): string {
  return p ? [p.os, p.architecture, p.variant].filter(Boolean).join('/') : 'unknown platform'
}
