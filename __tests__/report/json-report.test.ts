import { describe, expect, it } from '@jest/globals'
import { JSON_HIDDEN_ROWS } from '../../src/report/files-json.js'
import { SCHEMA_MINOR, SCHEMA_VERSION, toJsonReport } from '../../src/report/json-report.js'
import type { Finding } from '../../src/model/finding.js'
import type { HiddenCopy } from '../../src/model/files.js'
import type { Report } from '../../src/report/report.js'
import { fileComparison, imageFiles, reportWith } from '../render/file-fixtures.js'

const IMAGE_FILES_KEYS = [
  'bytes',
  'count',
  'directories',
  'dive',
  'hidden',
  'hiddenCount',
  'largest',
  'os',
  'packages',
  'reclaimableBytes',
  'secrets',
]

const entryOf = (report: Report) => toJsonReport(report, '0.0.0-test').entries[0]

describe('JSON report: files', () => {
  it('is versioned 1.2: additive fields', () => {
    const json = toJsonReport(reportWith(undefined), '0.0.0-test')
    expect(json.schemaVersion).toBe(SCHEMA_VERSION)
    expect(SCHEMA_VERSION).toBe(1)
    expect(json.schemaMinor).toBe(SCHEMA_MINOR)
    expect(SCHEMA_MINOR).toBe(4)
  })

  it('is null when the files were not analysed', () => {
    expect(entryOf(reportWith(undefined)).files).toBeNull()
  })

  it('gives the issue’s contract for each image, and the changes', () => {
    const files = entryOf(reportWith(fileComparison())).files
    expect(files).not.toBeNull()
    if (!files) return
    expect(Object.keys(files).sort()).toEqual([
      'base',
      'changes',
      'head',
      'packages',
      'reclaimableAddedBytes',
    ])
    expect(Object.keys(files.head).sort()).toEqual(IMAGE_FILES_KEYS)
    expect(Object.keys(files.base ?? {}).sort()).toEqual(IMAGE_FILES_KEYS)
    expect(files.head).toMatchObject({
      count: 405,
      bytes: 1188573,
      reclaimableBytes: 32025,
      dive: {
        efficiency: 0.9844212134184309,
        wastedBytes: 32025,
        userSizeBytes: 66237,
        wastedUserPercent: 0.4834911001404049,
      },
      largest: [{ path: '/bin/busybox', bytes: 1000000, layer: 1 }],
      directories: [
        { path: '/bin', bytes: 1000000, count: 400 },
        { path: '/usr/lib', bytes: 123, count: 4 },
      ],
      secrets: [{ path: '/app/.env', kind: 'env-file', layer: 4, visible: true }],
      os: { id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' },
      hiddenCount: 2,
    })
    expect(files.head.packages).toEqual([
      {
        manager: 'dpkg',
        name: 'curl',
        version: '7.88.1-10+deb12u5',
        bytes: 500736,
        path: '/var/lib/dpkg/status',
        layer: 2,
        dev: null,
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
    ])
    expect(files.head.hidden[0]).toEqual({
      path: '/var/lib/apt/lists/x',
      bytes: 32000,
      layer: 2,
      hiddenBy: 3,
      how: 'deleted',
    })
    expect(files.reclaimableAddedBytes).toBe(12000)
    expect(files.changes[0]).toEqual({
      path: '/usr/lib/python3',
      directory: true,
      change: 'added',
      bytesBefore: 0,
      bytesAfter: 52000000,
      deltaBytes: 52000000,
      countBefore: 0,
      countAfter: 1200,
    })
    expect(files.packages[1]).toEqual({
      manager: 'dpkg',
      name: 'curl',
      change: 'upgraded',
      before: '7.88.1-10',
      after: '7.88.1-10+deb12u5',
      bytesBefore: 500000,
      bytesAfter: 500736,
    })
  })

  it('has nulls, not zeros, for what is not known', () => {
    const f = fileComparison({
      base: undefined,
      head: imageFiles({
        dive: { efficiency: 1, wastedBytes: 0, userSizeBytes: 0, wastedUserPercent: null },
        os: null,
      }),
    })
    const files = entryOf(reportWith(f, false)).files
    expect(files?.base).toBeNull()
    expect(files?.reclaimableAddedBytes).toBeNull()
    expect(files?.head.dive.wastedUserPercent).toBeNull()
    expect(files?.head.os).toBeNull()
  })

  it('never holds the view, the manifests or anything an object carries beyond the schema', () => {
    const head = imageFiles()
    // Extra properties a future model might carry must not leak through the report.
    const sneaky = { ...head.secrets[0], content: 'AWS_SECRET_ACCESS_KEY=do-not-print' }
    const text = JSON.stringify(
      toJsonReport(reportWith(fileComparison({ head: { ...head, secrets: [sneaky] } })), '0'),
    )
    expect(text).not.toContain('/only/in/the/view')
    expect(text).not.toContain('"view"')
    expect(text).not.toContain('manifest-only-dependency')
    expect(text).not.toContain('do-not-print')
    expect(text).not.toContain('"content"')
    expect(text).toContain('"/app/.env"')
  })

  it(`lists the ${JSON_HIDDEN_ROWS} largest hidden copies and counts them all`, () => {
    const hidden: HiddenCopy[] = Array.from({ length: 250 }, (_, i) => ({
      path: `/tmp/${i}`,
      bytes: 1000 - i,
      layer: 1,
      hiddenBy: 2,
      how: 'deleted',
    }))
    const files = entryOf(reportWith(fileComparison({ head: imageFiles({ hidden }) }))).files
    expect(files?.head.hidden).toHaveLength(JSON_HIDDEN_ROWS)
    expect(files?.head.hidden[0].path).toBe('/tmp/0')
    expect(files?.head.hiddenCount).toBe(250)
  })
})

describe('JSON report: finding evidence', () => {
  const base = reportWith(undefined)
  const withFindings = (findings: Finding[]): Report => ({
    ...base,
    entries: [{ ...base.entries[0], findings }],
  })
  const finding: Finding = {
    key: 'package-cache-left',
    layers: [2],
    bytes: 40_000_000,
    evidence: { kind: 'package-cache-left', caches: [{ manager: 'apt', layers: [2] }] },
  }

  it('serialises inBase, hint and paths when a finding has them', () => {
    const evidence = {
      inBase: true,
      hint: false,
      paths: [
        {
          path: '/var/lib/apt/lists/deb.debian.org_Packages',
          bytes: 9_000_000,
          layer: 2,
          extra: 'x',
        },
      ],
    }
    const [json] = entryOf(withFindings([{ ...finding, ...evidence } as Finding])).findings
    expect(json.inBase).toBe(true)
    expect(json.hint).toBe(false)
    expect(json.paths).toEqual([
      { path: '/var/lib/apt/lists/deb.debian.org_Packages', bytes: 9_000_000, layer: 2 },
    ])
    expect(json.bytes).toBe(40_000_000)
  })

  it('leaves them out when a finding has none', () => {
    const [json] = entryOf(withFindings([finding])).findings
    expect(Object.keys(json).sort()).toEqual([
      'bytes',
      'detail',
      'detailWords',
      'fix',
      'fixWords',
      'key',
      'kind',
      'layers',
      'title',
    ])
  })
})
