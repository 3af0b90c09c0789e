/**
 * Type guards for the JSON documents found in image archives. Everything read from an archive is
 * `unknown` until one of these has looked at it.
 */
import type { OciDescriptor, OciImageConfig, OciIndex, OciManifest } from '../../model/oci.js'

/** One entry of docker's `manifest.json` (docker save, legacy and OCI-flavoured). */
export interface DockerManifestEntry {
  /** Path of the config inside the archive: `<id>.json` or `blobs/sha256/<hex>` */
  Config: string
  RepoTags?: string[] | null
  /** Paths of the layer tars, base first: `<id>/layer.tar` or `blobs/sha256/<hex>` */
  Layers: string[]
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string')
}

function isOptional(value: unknown, guard: (v: unknown) => boolean): boolean {
  return value === undefined || guard(value)
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return isRecord(value) && Object.values(value).every((item) => typeof item === 'string')
}

function isPlatform(value: unknown): boolean {
  return (
    isRecord(value) &&
    typeof value.os === 'string' &&
    typeof value.architecture === 'string' &&
    isOptional(value.variant, (v) => typeof v === 'string')
  )
}

export function isOciDescriptor(value: unknown): value is OciDescriptor {
  return (
    isRecord(value) &&
    typeof value.mediaType === 'string' &&
    typeof value.digest === 'string' &&
    Number.isSafeInteger(value.size) &&
    isOptional(value.platform, isPlatform) &&
    isOptional(value.annotations, isStringRecord)
  )
}

function isDescriptorArray(value: unknown): value is OciDescriptor[] {
  return Array.isArray(value) && value.every(isOciDescriptor)
}

export function isOciIndex(value: unknown): value is OciIndex {
  return isRecord(value) && value.schemaVersion === 2 && isDescriptorArray(value.manifests)
}

export function isOciManifest(value: unknown): value is OciManifest {
  return (
    isRecord(value) &&
    value.schemaVersion === 2 &&
    isOciDescriptor(value.config) &&
    isDescriptorArray(value.layers)
  )
}

function isHistory(value: unknown): boolean {
  return Array.isArray(value) && value.every(isRecord)
}

/** An image config: at least `rootfs.diff_ids`, which every layer reader relies on. */
export function isOciImageConfig(value: unknown): value is OciImageConfig {
  return (
    isRecord(value) &&
    isRecord(value.rootfs) &&
    isStringArray(value.rootfs.diff_ids) &&
    isOptional(value.history, isHistory)
  )
}

function isDockerManifestEntry(value: unknown): value is DockerManifestEntry {
  return (
    isRecord(value) &&
    typeof value.Config === 'string' &&
    isStringArray(value.Layers) &&
    (value.RepoTags === undefined || value.RepoTags === null || isStringArray(value.RepoTags))
  )
}

export function isDockerManifest(value: unknown): value is DockerManifestEntry[] {
  return Array.isArray(value) && value.every(isDockerManifestEntry)
}
