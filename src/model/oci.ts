/**
 * OCI image-spec shapes, as far as this tool reads them.
 * https://github.com/opencontainers/image-spec/blob/main/config.md
 * https://github.com/opencontainers/image-spec/blob/main/manifest.md
 */

export interface OciDescriptor {
  mediaType: string
  digest: string
  size: number
  platform?: { os: string; architecture: string; variant?: string }
  annotations?: Record<string, string>
}

export interface OciManifest {
  schemaVersion: 2
  mediaType?: string
  config: OciDescriptor
  layers: OciDescriptor[]
}

export interface OciIndex {
  schemaVersion: 2
  mediaType?: string
  manifests: OciDescriptor[]
}

/** The history fields read: the step and whether it made a layer */
export interface OciHistoryEntry {
  created_by?: string
  empty_layer?: boolean
}

export interface OciImageConfig {
  architecture?: string
  os?: string
  variant?: string
  /** `type` ("layers") is not read */
  rootfs: { diff_ids: string[] }
  /** The run-time settings; only Env is read */
  config?: { Env?: string[] | null }
  history?: OciHistoryEntry[]
}

export const MediaType = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
} as const
