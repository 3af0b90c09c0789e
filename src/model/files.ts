/**
 * What the files of an image say: the paths a container sees, the copies it can never see,
 * the packages its databases list, and how base and PR differ by path and by package.
 * Plain data. Paths are absolute (`/usr/lib/x`), without `./` or a trailing slash; layer
 * numbers are 1-based positions in `ImageInfo.layers`. All byte counts use the content
 * definition of `SizeBasis` `uncompressed`: regular-file bytes (hard links once) plus the
 * byte length of symlink targets. Paths, package names and versions come from the image and
 * are untrusted: renderers escape them.
 */

/** What a path is, in a layer or in the merged view */
export type PathKind = 'file' | 'symlink' | 'hardlink' | 'directory' | 'other'

/** A non-directory path a container sees, and the layer that wrote the copy it sees */
export interface ViewFile {
  path: string
  kind: Exclude<PathKind, 'directory'>
  /** Content bytes of this copy (0 for hard links, their inode is counted once with the target) */
  bytes: number
  layer: number
}

/** A copy the image stores but a container can never see: a later layer overwrote or deleted it */
export interface HiddenCopy {
  path: string
  bytes: number
  /** The layer that stored this copy */
  layer: number
  /** The layer that hid it */
  hiddenBy: number
  how: 'overwritten' | 'deleted'
}

/** dive's own figures, computed exactly as dive computes them (for users moving from dive) */
export interface DiveFigures {
  /** 0..1, 1 when nothing is wasted */
  efficiency: number
  wastedBytes: number
  /** Bytes of every layer but the first (dive's "user" layers) */
  userSizeBytes: number
  /** wastedBytes / userSizeBytes, a ratio (dive calls it a percent); null when userSizeBytes is 0 */
  wastedUserPercent: number | null
}

export type PackageManager = 'dpkg' | 'apk' | 'python' | 'npm'

export interface PackageRecord {
  manager: PackageManager
  name: string
  version: string
  /** Installed bytes where the database has them (dpkg Installed-Size KiB × 1024, apk I:, RECORD sizes, npm directory); null otherwise */
  bytes: number | null
  /** The database file or package directory it was read from */
  path: string
  /** The layer that wrote that database file / package directory */
  layer: number
  /** npm: whether the app's package.json lists it only under devDependencies */
  dev?: boolean
}

export interface PackageChange {
  manager: PackageManager
  name: string
  change: 'added' | 'removed' | 'upgraded' | 'downgraded' | 'changed'
  /** Versions, null on the side where it is absent */
  before: string | null
  after: string | null
  bytesBefore: number | null
  bytesAfter: number | null
}

/** What a layer's file said about secrets: the kind only, never the content */
export type SecretKind =
  | 'env-file'
  | 'private-key'
  | 'npm-token'
  | 'pypi-password'
  | 'cloud-credentials'
  | 'docker-auth'
  | 'kube-config'
  | 'git-credentials'
  | 'netrc'

export interface SecretFile {
  path: string
  kind: SecretKind
  layer: number
  /** Still visible in a container (false: hidden by a later layer, yet still in the image's layers) */
  visible: boolean
}

/** An application manifest (a package.json outside node_modules), for the dev-dependency check */
export interface AppManifest {
  path: string
  layer: number
  dependencies: string[]
  devDependencies: string[]
}

/** What the image's `/etc/os-release` (or `/usr/lib/os-release`, `/etc/alpine-release`) says */
export interface OsRelease {
  /** `debian`, `ubuntu`, `alpine`, … (os-release ID) */
  id: string
  /** `12`, `3.20.3`; null when not given */
  versionId: string | null
  /** `Debian GNU/Linux 12 (bookworm)`; null when not given */
  prettyName: string | null
}

/** Everything the file analysis knows about one image. */
export interface ImageFiles {
  /** Non-directory paths a container sees */
  count: number
  /** Their content bytes */
  bytes: number
  /** Bytes of every hidden copy */
  reclaimableBytes: number
  dive: DiveFigures
  /** The largest visible files, largest first (top 20) */
  largest: ViewFile[]
  /** The largest directories (depth at most 3), largest first (top 20); bytes and count of every file below */
  directories: Array<{ path: string; bytes: number; count: number }>
  /** Every visible non-directory path. Not in the JSON report. */
  view: ReadonlyMap<string, ViewFile>
  /** Every hidden copy, largest first */
  hidden: HiddenCopy[]
  packages: PackageRecord[]
  secrets: SecretFile[]
  manifests: AppManifest[]
  /** The distribution, from the visible os-release file; null when there is none */
  os: OsRelease | null
}

/** A path (a file, or a directory's total) that differs between base and PR */
export interface PathChange {
  path: string
  directory: boolean
  change: 'added' | 'removed' | 'grown' | 'shrunk'
  bytesBefore: number
  bytesAfter: number
  countBefore: number
  countAfter: number
}

/** Base vs PR, from the bytes. */
export interface FileComparison {
  /** undefined without a baseline */
  base?: ImageFiles
  head: ImageFiles
  /** Changed paths, largest |change| first, aggregated by directory where that reads better */
  changes: PathChange[]
  packages: PackageChange[]
  /** Bytes of the PR image's hidden copies that its own (non-base) layers stored or hid */
  reclaimableAddedBytes: number
}

/** What a layer's tar entry does to the file system */
export type LayerEntryKind = PathKind | 'whiteout' | 'opaque'

/** One tar entry of a layer, reduced to what the analysis needs */
export interface LayerEntry {
  /** For a whiteout, the path it removes; for an opaque marker, the directory it empties */
  path: string
  kind: LayerEntryKind
  /** Content bytes, as `measureLayer` counts them (0 for directories, hard links, whiteouts) */
  bytes: number
  /** Hard links: the path they link to (absolute) */
  target?: string
}

/** What the layer reader kept of a file's content: text to parse later, or only a verdict */
export type CapturedFile =
  | { path: string; kind: 'text'; text: string; truncated: boolean }
  | { path: string; kind: 'secret'; secret: SecretKind }

/** Every entry of one layer, in tar order, and what was captured of the files asked for */
export interface LayerListing {
  entries: LayerEntry[]
  captured: CapturedFile[]
}
