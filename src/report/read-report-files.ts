/** The `files` of a report entry read back (read-report.ts): every field checked, arrays capped. */
import type { FileComparison, ImageFiles, PackageManager, SecretKind } from '../model/files.js'
import { Fields } from './json-check-untrusted.js'

/** Caps on the file arrays of one entry */
export const FILE_CAPS = { rows: 1000, packages: 20_000, changes: 20_000 } as const

const MANAGERS = ['dpkg', 'apk', 'python', 'npm'] as const satisfies readonly PackageManager[]
const SECRET_KINDS = [
  'env-file',
  'private-key',
  'npm-token',
  'pypi-password',
  'cloud-credentials',
  'docker-auth',
  'kube-config',
  'git-credentials',
  'netrc',
] as const satisfies readonly SecretKind[]
const PATH_CHARS = 4096
const NAME_CHARS = 500

export function readJsonFiles(f: Fields): FileComparison {
  const base = f.objectOrNull('base')
  return {
    base: base ? readImageFiles(base) : undefined,
    head: readImageFiles(f.object('head')),
    changes: f.objects('changes', FILE_CAPS.changes, (c) => ({
      path: c.string('path', PATH_CHARS),
      directory: c.boolean('directory'),
      change: c.oneOf('change', ['added', 'removed', 'grown', 'shrunk'] as const),
      bytesBefore: c.integer('bytesBefore'),
      bytesAfter: c.integer('bytesAfter'),
      countBefore: c.integer('countBefore'),
      countAfter: c.integer('countAfter'),
    })),
    packages: f.objects('packages', FILE_CAPS.packages, (p) => ({
      manager: p.oneOf('manager', MANAGERS),
      name: p.string('name', NAME_CHARS),
      change: p.oneOf('change', ['added', 'removed', 'upgraded', 'downgraded', 'changed'] as const),
      before: p.stringOrNull('before', NAME_CHARS) ?? null,
      after: p.stringOrNull('after', NAME_CHARS) ?? null,
      bytesBefore: p.integerOrNull('bytesBefore') ?? null,
      bytesAfter: p.integerOrNull('bytesAfter') ?? null,
    })),
    reclaimableAddedBytes: f.integerOrNull('reclaimableAddedBytes') ?? 0,
  }
}

function readImageFiles(f: Fields): ImageFiles {
  const dive = f.object('dive')
  const os = f.objectOrNull('os')
  return {
    count: f.integer('count'),
    bytes: f.integer('bytes'),
    reclaimableBytes: f.integer('reclaimableBytes'),
    dive: {
      efficiency: dive.number('efficiency'),
      wastedBytes: dive.integer('wastedBytes'),
      userSizeBytes: dive.integer('userSizeBytes'),
      wastedUserPercent: dive.numberOrNull('wastedUserPercent') ?? null,
    },
    largest: f.objects('largest', FILE_CAPS.rows, (v) => ({
      path: v.string('path', PATH_CHARS),
      kind: 'file' as const,
      bytes: v.integer('bytes'),
      layer: v.integer('layer', 1),
    })),
    directories: f.objects('directories', FILE_CAPS.rows, (v) => ({
      path: v.string('path', PATH_CHARS),
      bytes: v.integer('bytes'),
      count: v.integer('count'),
    })),
    view: new Map(),
    hidden: f.objects('hidden', FILE_CAPS.rows, (h) => ({
      path: h.string('path', PATH_CHARS),
      bytes: h.integer('bytes'),
      layer: h.integer('layer', 1),
      hiddenBy: h.integer('hiddenBy', 1),
      how: h.oneOf('how', ['overwritten', 'deleted'] as const),
    })),
    packages: f.objects('packages', FILE_CAPS.packages, (p) => {
      const dev = p.has('dev') ? p.boolean('dev') : undefined
      return {
        manager: p.oneOf('manager', MANAGERS),
        name: p.string('name', NAME_CHARS),
        version: p.string('version', NAME_CHARS),
        bytes: p.integerOrNull('bytes') ?? null,
        path: p.string('path', PATH_CHARS),
        layer: p.integer('layer', 1),
        ...(dev === undefined ? {} : { dev }),
      }
    }),
    secrets: f.objects('secrets', FILE_CAPS.rows, (s) => ({
      path: s.string('path', PATH_CHARS),
      kind: s.oneOf('kind', SECRET_KINDS),
      layer: s.integer('layer', 1),
      visible: s.boolean('visible'),
    })),
    manifests: [],
    os: os
      ? {
          id: os.string('id', NAME_CHARS),
          versionId: os.stringOrNull('versionId', NAME_CHARS) ?? null,
          prettyName: os.stringOrNull('prettyName', NAME_CHARS) ?? null,
        }
      : null,
  }
}
