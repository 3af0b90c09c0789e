/**
 * File analyses built by hand for the explain rules: ImageFiles and FileComparison objects as
 * the file analysis would hand them over, without reading any layer.
 */
import { compareImages, type Comparison } from '../../src/compare/compare.js'
import { EXPLAIN_RULES, explainGrowth, type Finding } from '../../src/explain/explain.js'
import type {
  FileComparison,
  HiddenCopy,
  ImageFiles,
  OsRelease,
  PackageRecord,
  SecretFile,
} from '../../src/model/files.js'
import { image } from '../support/images.js'

/** [diff ID suffix, instruction, bytes] */
export type L = [string, string, number]
/** [path, bytes, layer] */
export type F = [string, number, number]

export const ROOTFS: L = ['a1', `/bin/sh -c #(nop) ADD file:${'c'.repeat(64)} in / `, 80_000_000]
export const APT: L = [
  'a2',
  'RUN /bin/sh -c apt-get update && apt-get install -y curl # buildkit',
  30_000_000,
]
/** The base branch's layers, shared by the PR image: the PR's own layers start at 3 */
export const BASE: L[] = [ROOTFS, APT]

let seq = 0
/** A BuildKit RUN layer with a fresh diff ID */
export const run = (script: string, bytes = 20_000_000): L => [
  `e${(++seq).toString(16)}`,
  `RUN /bin/sh -c ${script} # buildkit`,
  bytes,
]
export const copy = (text: string, bytes = 5_000_000): L => [
  `c${(++seq).toString(16)}`,
  `${text} # buildkit`,
  bytes,
]

export interface FilesSpec {
  view?: F[]
  hidden?: HiddenCopy[]
  packages?: PackageRecord[]
  secrets?: SecretFile[]
  os?: OsRelease | null
}

export function imageFiles(spec: FilesSpec = {}): ImageFiles {
  const view = new Map(
    (spec.view ?? []).map(([path, bytes, layer]) => [
      path,
      { path, kind: 'file' as const, bytes, layer },
    ]),
  )
  const bytes = [...view.values()].reduce((t, f) => t + f.bytes, 0)
  const hidden = spec.hidden ?? []
  const reclaimable = hidden.reduce((t, c) => t + c.bytes, 0)
  return {
    count: view.size,
    bytes,
    reclaimableBytes: reclaimable,
    dive: { efficiency: 1, wastedBytes: 0, userSizeBytes: 0, wastedUserPercent: null },
    largest: [...view.values()].sort((a, b) => b.bytes - a.bytes).slice(0, 20),
    directories: [],
    view,
    hidden,
    packages: spec.packages ?? [],
    secrets: spec.secrets ?? [],
    manifests: [],
    os: spec.os ?? null,
  }
}

/** What the base image's shared layers hold: curl from the base's apt layer */
export const BASE_VIEW: F[] = [
  ['/bin/busybox', 1_000_000, 1],
  ['/usr/bin/curl', 250_000, 2],
]

export interface Explained {
  findings: Finding[]
  comparison: Comparison
}

/**
 * Explains a PR image of BASE plus `layers` (or exactly `headLayers`) against the base
 * image BASE, with the given files; `files: false` leaves the file analysis out.
 */
export function explainWith(options: {
  layers?: L[]
  headLayers?: L[]
  baseLayers?: L[] | null
  head?: FilesSpec
  base?: FilesSpec | null
  files?: boolean
}): Explained {
  const baseLayers = options.baseLayers === undefined ? BASE : options.baseLayers
  const headLayers = options.headLayers ?? [...BASE, ...(options.layers ?? [])]
  const comparison = compareImages(
    baseLayers ? image('app:main', baseLayers) : undefined,
    image('app:pr', headLayers),
    { basis: 'uncompressed', noBaseline: baseLayers ? undefined : 'none' },
  )
  const baseFiles =
    options.base === null || !baseLayers
      ? undefined
      : imageFiles(options.base ?? { view: BASE_VIEW })
  const headSpec = options.head ?? {}
  const files: FileComparison = {
    ...(baseFiles ? { base: baseFiles } : {}),
    head: imageFiles({ ...headSpec, view: [...BASE_VIEW, ...(headSpec.view ?? [])] }),
    changes: [],
    packages: [],
    reclaimableAddedBytes: 0,
  }
  const findings = explainGrowth(
    comparison,
    EXPLAIN_RULES,
    undefined,
    options.files === false ? undefined : files,
  )
  return { findings, comparison }
}

export const byKey = (findings: Finding[], key: string) => findings.filter((f) => f.key === key)

export function pkg(
  manager: PackageRecord['manager'],
  name: string,
  bytes: number | null,
  layer: number,
  extra: Partial<PackageRecord> = {},
): PackageRecord {
  const path =
    manager === 'npm'
      ? `/app/node_modules/${name}`
      : manager === 'python'
        ? `/usr/local/lib/python3.12/site-packages/${name}-1.0.dist-info`
        : manager === 'dpkg'
          ? '/var/lib/dpkg/status'
          : '/lib/apk/db/installed'
  return { manager, name, version: '1.0', bytes, path, layer, ...extra }
}
