/**
 * What the archive readers (docker save tarballs, OCI layout tarballs and directories) give back.
 * All byte counts are integers of bytes.
 */
import type { Platform } from '../../model/image.js'
import type { OciDescriptor, OciImageConfig, OciManifest } from '../../model/oci.js'
import type { Compression } from '../layers/decode.js'
import type { LayerStats } from '../layers/layer-content.js'
import type { LayerListing } from '../../model/files.js'

export interface ArchiveLayer {
  /** Uncompressed layer digest, `config.rootfs.diff_ids[i]` */
  diffId: string
  /** Digest of the stored blob, where the archive names blobs by digest (`blobs/sha256/…`) */
  digest?: string
  /** Layer media type from the manifest, where there is one */
  mediaType?: string
  /** Bytes of the stored blob, only when that blob is compressed */
  compressedBytes?: number
  /** Content bytes counted from the layer's tar stream */
  uncompressedBytes: number
  compression: Compression
  /** Every entry of the layer, when the reader was asked to list; one object per stored blob */
  listing?: LayerListing
}

export interface ArchiveImage {
  /**
   * Config digest, `sha256:…`, where known: the classic engine's image ID (the containerd store
   * shows the manifest digest, `manifestDescriptor.digest`, as the ID instead)
   */
  id?: string
  config: OciImageConfig
  /** The manifest's descriptor in index.json (or in a nested index), for OCI layouts */
  manifestDescriptor?: OciDescriptor
  manifest?: OciManifest
  /** `RepoTags` from docker's manifest.json; empty when there are none */
  repoTags: string[]
  /** `org.opencontainers.image.ref.name` annotation */
  refName?: string
  /** `io.containerd.image.name` annotation (containerd image store saves) */
  imageName?: string
  /** From the index descriptor, else from the config */
  platform?: Platform
  /** Bottom (base) layer first */
  layers: ArchiveLayer[]
}

export interface ArchiveContents {
  /** `docker-archive` when docker's manifest.json is present (with or without index.json) */
  format: 'docker-archive' | 'oci-archive' | 'oci'
  /** Every image found; attestation manifests are left out. Selection happens elsewhere. */
  images: ArchiveImage[]
  /** What the reader skipped and why, one line each */
  notes: string[]
}

/** A JSON document of an archive and the sha256 digest of its bytes (a config's is the image ID) */
export interface JsonDocument {
  value: unknown
  digest: string
}

/**
 * Blobs and JSON documents of an archive, addressed by their path inside it. The archive reader
 * has read everything by the time it resolves; the directory reader reads on demand. Both throw
 * a `UserError` naming the path and `purpose` when something is missing or unusable.
 */
export interface BlobSource {
  /** Says where the blobs are, for messages: "image archive", "OCI layout /x" */
  readonly label: string
  has(path: string): Promise<boolean>
  readJson(path: string, purpose: string): Promise<JsonDocument>
  measure(path: string, purpose: string): Promise<LayerStats>
}
