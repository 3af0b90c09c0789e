/**
 * The file analysis in the JSON report: figures under the names docs/report-schema.md gives.
 * Built field by field, so nothing the report does not document leaks into it: never the full
 * `view` of every path, never the app manifests, never a file's content (the model holds none).
 */
import type {
  FileComparison,
  HiddenCopy,
  ImageFiles,
  PackageChange,
  PackageRecord,
  PathChange,
  SecretFile,
} from '../model/files.js'

/** How many hidden copies the report lists per image, largest first (`hiddenCount` says all) */
export const JSON_HIDDEN_ROWS = 100

export interface JsonImageFiles {
  /** Non-directory paths a container sees */
  count: number
  /** Their content bytes (regular files, hard links once, symlink targets) */
  bytes: number
  /** Bytes of every copy stored in the layers that a container can never see */
  reclaimableBytes: number
  dive: {
    efficiency: number
    wastedBytes: number
    userSizeBytes: number
    wastedUserPercent: number | null
  }
  largest: Array<{ path: string; bytes: number; layer: number }>
  directories: Array<{ path: string; bytes: number; count: number }>
  packages: Array<{
    manager: PackageRecord['manager']
    name: string
    version: string
    bytes: number | null
    path: string
    layer: number
    dev: boolean | null
  }>
  secrets: Array<{ path: string; kind: SecretFile['kind']; layer: number; visible: boolean }>
  os: { id: string; versionId: string | null; prettyName: string | null } | null
  hidden: Array<{
    path: string
    bytes: number
    layer: number
    hiddenBy: number
    how: HiddenCopy['how']
  }>
  hiddenCount: number
}

export interface JsonPathChange {
  path: string
  directory: boolean
  change: PathChange['change']
  bytesBefore: number
  bytesAfter: number
  deltaBytes: number
  countBefore: number
  countAfter: number
}

export interface JsonPackageChange {
  manager: PackageChange['manager']
  name: string
  change: PackageChange['change']
  before: string | null
  after: string | null
  bytesBefore: number | null
  bytesAfter: number | null
}

export interface JsonFiles {
  base: JsonImageFiles | null
  head: JsonImageFiles
  changes: JsonPathChange[]
  packages: JsonPackageChange[]
  /** Reclaimable bytes the PR's own layers stored or hid; null without a baseline */
  reclaimableAddedBytes: number | null
}

export function toJsonFiles(f: FileComparison | undefined): JsonFiles | null {
  if (!f) return null
  return {
    base: f.base ? toJsonImageFiles(f.base) : null,
    head: toJsonImageFiles(f.head),
    changes: f.changes.map((c) => ({
      path: c.path,
      directory: c.directory,
      change: c.change,
      bytesBefore: c.bytesBefore,
      bytesAfter: c.bytesAfter,
      deltaBytes: c.bytesAfter - c.bytesBefore,
      countBefore: c.countBefore,
      countAfter: c.countAfter,
    })),
    packages: f.packages.map((p) => ({
      manager: p.manager,
      name: p.name,
      change: p.change,
      before: p.before,
      after: p.after,
      bytesBefore: p.bytesBefore,
      bytesAfter: p.bytesAfter,
    })),
    reclaimableAddedBytes: f.base ? f.reclaimableAddedBytes : null,
  }
}

export function toJsonImageFiles(files: ImageFiles): JsonImageFiles {
  const d = files.dive
  return {
    count: files.count,
    bytes: files.bytes,
    reclaimableBytes: files.reclaimableBytes,
    dive: {
      efficiency: d.efficiency,
      wastedBytes: d.wastedBytes,
      userSizeBytes: d.userSizeBytes,
      wastedUserPercent: d.wastedUserPercent,
    },
    largest: files.largest.map((v) => ({ path: v.path, bytes: v.bytes, layer: v.layer })),
    directories: files.directories.map((v) => ({ path: v.path, bytes: v.bytes, count: v.count })),
    packages: files.packages.map((p) => ({
      manager: p.manager,
      name: p.name,
      version: p.version,
      bytes: p.bytes,
      path: p.path,
      layer: p.layer,
      dev: p.dev ?? null,
    })),
    secrets: files.secrets.map((s) => ({
      path: s.path,
      kind: s.kind,
      layer: s.layer,
      visible: s.visible,
    })),
    os: files.os
      ? { id: files.os.id, versionId: files.os.versionId, prettyName: files.os.prettyName }
      : null,
    hidden: files.hidden.slice(0, JSON_HIDDEN_ROWS).map((h) => ({
      path: h.path,
      bytes: h.bytes,
      layer: h.layer,
      hiddenBy: h.hiddenBy,
      how: h.how,
    })),
    hiddenCount: files.hidden.length,
  }
}
