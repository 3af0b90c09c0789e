import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { readPackages, type DatabaseText } from '../src/files/packages/index.js'

const FIXTURES = new URL('./fixtures/packages/python/', import.meta.url)
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8')
const SITE = '/usr/local/lib/python3.12/site-packages'
const db = (path: string, name: string, layer: number, truncated = false): DatabaseText => ({
  path,
  text: fixture(name),
  truncated,
  layer,
})

describe('Python distributions', () => {
  it('1: dist-info METADATA with the sizes of its RECORD', () => {
    const texts = [
      db(`${SITE}/PyYAML-6.0.dist-info/RECORD`, 'PyYAML-RECORD', 2),
      db(`${SITE}/PyYAML-6.0.dist-info/METADATA`, 'PyYAML-METADATA', 2),
    ]
    expect(readPackages(texts, new Map()).packages).toEqual([
      {
        manager: 'python',
        name: 'PyYAML',
        version: '6.0',
        // awk -F, '{s+=$3}' over the real RECORD (no quoted fields in it)
        bytes: 1378643,
        path: `${SITE}/PyYAML-6.0.dist-info/METADATA`,
        layer: 2,
      },
    ])
  })

  it('2: RECORD fields may be quoted (commas and doubled quotes in paths)', () => {
    const texts = [
      {
        path: `${SITE}/weird-1.0.dist-info/METADATA`,
        text: 'Name: weird\nVersion: 1.0\n\nbody',
        truncated: false,
        layer: 1,
      },
      db(`${SITE}/weird-1.0.dist-info/RECORD`, 'weird-RECORD', 1),
    ]
    expect(readPackages(texts, new Map()).packages[0].bytes).toBe(120 + 30 + 7)
  })

  it('3: no RECORD, or a truncated one: bytes unknown (null)', () => {
    const metadata = db(`${SITE}/PyYAML-6.0.dist-info/METADATA`, 'PyYAML-METADATA', 2)
    const cut = db(`${SITE}/PyYAML-6.0.dist-info/RECORD`, 'PyYAML-RECORD', 2, true)
    expect(readPackages([metadata], new Map()).packages[0].bytes).toBeNull()
    expect(readPackages([metadata, cut], new Map()).packages[0].bytes).toBeNull()
  })

  it('4: egg-info PKG-INFO and the file form of .egg-info', () => {
    const texts = [
      db('/usr/lib/python3/dist-packages/PyJWT-2.6.0.egg-info/PKG-INFO', 'PyJWT-PKG-INFO', 1),
      db('/usr/lib/python2.7/wsgiref.egg-info', 'wsgiref.egg-info', 3),
    ]
    expect(
      readPackages(texts, new Map()).packages.map((p) => [p.name, p.version, p.bytes, p.layer]),
    ).toEqual([
      ['PyJWT', '2.6.0', null, 1],
      ['wsgiref', '0.1.2', null, 3],
    ])
  })

  it('5: headers stop at the first blank line; a body "Version:" is not read', () => {
    const texts = [
      {
        path: `${SITE}/x-1.dist-info/METADATA`,
        text: 'Name: x\n\nVersion: 9\n',
        truncated: false,
        layer: 1,
      },
      {
        path: `${SITE}/y-1.dist-info/METADATA`,
        text: 'Name: y\r\nVersion: 1.0rc1\r\n',
        truncated: false,
        layer: 1,
      },
    ]
    expect(readPackages(texts, new Map()).packages.map((p) => [p.name, p.version])).toEqual([
      ['y', '1.0rc1'],
    ])
  })
})
