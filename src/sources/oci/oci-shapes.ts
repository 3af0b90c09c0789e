/**
 * The OCI and docker documents this tool reads (image configs, manifests, indexes, docker's
 * manifest.json), as checks built from the validators of util/json-check.ts. Everything read
 * from an archive, a layout or a registry is `unknown` until one of these has looked at it; a
 * field of the wrong JSON type is named by its path in the error.
 * https://github.com/opencontainers/image-spec/blob/main/config.md
 * https://github.com/opencontainers/image-spec/blob/main/manifest.md
 */
import type {
  OciDescriptor,
  OciHistoryEntry,
  OciImageConfig,
  OciIndex,
  OciManifest,
} from '../../model/oci.js'
import type { Platform } from '../../model/image.js'
import {
  count,
  exactly,
  flag,
  listOf,
  mapOf,
  matching,
  optional,
  shape,
  text,
  type Check,
} from '../../util/json-check.js'

/** One entry of docker's `manifest.json` (docker save, legacy and OCI-flavoured; kaniko). */
export interface DockerManifestEntry {
  /** Path of the config inside the archive: `<id>.json`, `blobs/sha256/<hex>`, `sha256:<hex>` */
  Config: string
  RepoTags?: string[] | null
  /** Paths of the layer tars, base first: `<id>/layer.tar`, `blobs/sha256/<hex>`, `<hex>.tar.gz` */
  Layers: string[]
}

/** OCI digest grammar: https://github.com/opencontainers/image-spec/blob/main/descriptor.md#digests */
export const DIGEST_PATTERN = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/

export const digestText = matching(DIGEST_PATTERN, 'a digest (algorithm:hex)')

const platform = shape<Platform>({ os: text, architecture: text, variant: optional(text) })

export const ociDescriptor: Check<OciDescriptor> = shape<OciDescriptor>({
  mediaType: text,
  digest: digestText,
  size: count,
  platform: optional(platform),
  annotations: optional(mapOf(text)),
})

export const ociManifest: Check<OciManifest> = shape<OciManifest>({
  schemaVersion: exactly(2),
  mediaType: optional(text),
  config: ociDescriptor,
  layers: listOf(ociDescriptor),
})

export const ociIndex: Check<OciIndex> = shape<OciIndex>({
  schemaVersion: exactly(2),
  mediaType: optional(text),
  manifests: listOf(ociDescriptor),
})

const historyEntry = shape<OciHistoryEntry>({
  created_by: optional(text),
  empty_layer: optional(flag),
})

/** The fields read from an image config; an image without layers may have `diff_ids: null`. */
export const ociImageConfig: Check<OciImageConfig> = shape<OciImageConfig>({
  architecture: optional(text),
  os: optional(text),
  variant: optional(text),
  rootfs: shape<OciImageConfig['rootfs']>({
    diff_ids: (value, path) => optional(listOf(digestText))(value, path) ?? [],
  }),
  config: optional(shape<NonNullable<OciImageConfig['config']>>({ Env: optional(listOf(text)) })),
  history: optional(listOf(historyEntry)),
})

export const dockerManifest: Check<DockerManifestEntry[]> = listOf(
  shape<DockerManifestEntry>({
    Config: text,
    RepoTags: optional(listOf(text)),
    Layers: listOf(text),
  }),
)
