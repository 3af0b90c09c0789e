import type {
  FileComparison,
  ImageFiles,
  PackageChange,
  PathChange,
  ViewFile,
} from '../../src/model/files.js'
import type { Report } from '../../src/report/report.js'
import { compareImages } from '../../src/compare/compare.js'
import { image } from '../support/images.js'

/** The file analysis of one image, built directly (figures from the example). */
export function imageFiles(extra: Partial<ImageFiles> = {}): ImageFiles {
  const busybox: ViewFile = { path: '/bin/busybox', kind: 'file', bytes: 1_000_000, layer: 1 }
  const hiddenOnly: ViewFile = { path: '/only/in/the/view', kind: 'file', bytes: 1, layer: 2 }
  return {
    count: 405,
    bytes: 1_188_573,
    reclaimableBytes: 32_025,
    dive: {
      efficiency: 0.9844212134184309,
      wastedBytes: 32_025,
      userSizeBytes: 66_237,
      wastedUserPercent: 0.4834911001404049,
    },
    largest: [busybox],
    directories: [
      { path: '/bin', bytes: 1_000_000, count: 400 },
      { path: '/usr/lib', bytes: 123, count: 4 },
    ],
    view: new Map([
      [busybox.path, busybox],
      [hiddenOnly.path, hiddenOnly],
    ]),
    hidden: [
      { path: '/var/lib/apt/lists/x', bytes: 32_000, layer: 2, hiddenBy: 3, how: 'deleted' },
      { path: '/etc/motd', bytes: 25, layer: 1, hiddenBy: 2, how: 'overwritten' },
    ],
    packages: [
      {
        manager: 'dpkg',
        name: 'curl',
        version: '7.88.1-10+deb12u5',
        bytes: 500_736,
        path: '/var/lib/dpkg/status',
        layer: 2,
      },
      {
        manager: 'npm',
        name: 'jest',
        version: '29.7.0',
        bytes: null,
        path: '/app/node_modules/jest',
        layer: 4,
        dev: true,
      },
    ],
    secrets: [{ path: '/app/.env', kind: 'env-file', layer: 4, visible: true }],
    manifests: [
      {
        path: '/app/package.json',
        layer: 4,
        dependencies: ['manifest-only-dependency'],
        devDependencies: ['jest'],
      },
    ],
    os: { id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' },
    ...extra,
  }
}

export const pathChange = (
  path: string,
  bytesBefore: number,
  bytesAfter: number,
  directory = false,
  counts: [number, number] = [directory ? 3 : 1, directory ? 5 : 1],
): PathChange => ({
  path,
  directory,
  change:
    bytesBefore === 0 && counts[0] === 0
      ? 'added'
      : bytesAfter === 0 && counts[1] === 0
        ? 'removed'
        : bytesAfter >= bytesBefore
          ? 'grown'
          : 'shrunk',
  bytesBefore,
  bytesAfter,
  countBefore: counts[0],
  countAfter: counts[1],
})

export const packageChange = (
  name: string,
  before: [string, number | null] | null,
  after: [string, number | null] | null,
  change: PackageChange['change'] = before === null
    ? 'added'
    : after === null
      ? 'removed'
      : 'upgraded',
): PackageChange => ({
  manager: 'dpkg',
  name,
  change,
  before: before?.[0] ?? null,
  after: after?.[0] ?? null,
  bytesBefore: before?.[1] ?? null,
  bytesAfter: after?.[1] ?? null,
})

export function fileComparison(extra: Partial<FileComparison> = {}): FileComparison {
  return {
    base: imageFiles({ count: 400, bytes: 1_100_000, reclaimableBytes: 20_025 }),
    head: imageFiles(),
    changes: [
      pathChange('/usr/lib/python3', 0, 52_000_000, true, [0, 1200]),
      pathChange('/app', 1_200_000, 1_300_000, true, [10, 12]),
      pathChange('/etc/motd', 300, 0, false, [1, 0]),
      pathChange('/var/cache/apt/pkgcache.bin', 28_000_000, 27_000_000),
    ],
    packages: [
      packageChange('python3.11', null, ['3.11.2-6', 21_000_000]),
      packageChange('curl', ['7.88.1-10', 500_000], ['7.88.1-10+deb12u5', 500_736]),
      packageChange('wget', ['1.21.3-1', 3_000_000], null),
      packageChange('tzdata', ['2024a-0', null], ['2024b-0', null]),
    ],
    reclaimableAddedBytes: 12_000,
    ...extra,
  }
}

const baseImage = image('ghcr.io/org/app:main', [
  ['a', '/bin/sh -c #(nop) ADD file:abc in / ', 80_000_000],
  ['b', 'COPY . /app # buildkit', 1_200_000],
])
const headImage = image('ghcr.io/org/app:pr-7', [
  ['a', '/bin/sh -c #(nop) ADD file:abc in / ', 80_000_000],
  ['c', 'RUN /bin/sh -c apt-get install -y python3 # buildkit', 52_000_000],
  ['d', 'COPY . /app # buildkit', 1_300_000],
])

/** A passing one-platform report with the given file analysis (none: not analysed). */
export function reportWith(files: FileComparison | undefined, withBase = true): Report {
  const comparison = compareImages(withBase ? baseImage : undefined, headImage, {
    basis: 'uncompressed',
    noBaseline: withBase ? undefined : 'base image ghcr.io/org/app:main not found',
  })
  return {
    entries: [{ comparison, rules: [], verdict: 'pass', findings: [], files }],
    verdict: 'pass',
  }
}
