import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import type { ViewFile } from '../src/model/files.js'
import { readPackages, type DatabaseText } from '../src/files/packages/index.js'
import { isPackageDatabase } from '../src/files/packages/databases.js'

const FIXTURES = new URL('./fixtures/packages/', import.meta.url)
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8')
const db = (body: string, layer: number): DatabaseText => ({
  path: '/lib/apk/db/installed',
  text: body,
  truncated: false,
  layer,
})
const view = (files: Array<[string, number]>): Map<string, ViewFile> =>
  new Map(files.map(([path, layer]) => [path, { path, kind: 'file', bytes: 1, layer }]))

describe('apk installed database', () => {
  it('1: reads P:, V: and I: (installed bytes) of each package', () => {
    const { packages } = readPackages([db(fixture('apk-installed'), 3)], new Map())
    expect(packages.map((p) => [p.manager, p.name, p.version, p.bytes, p.layer])).toEqual([
      ['apk', 'musl', '1.2.5-r0', 663552, 3],
      ['apk', 'busybox', '1.36.1-r29', 946176, 3],
      ['apk', 'curl', '8.9.1-r0', 266240, 3],
      ['apk', '.build-deps', '20241101.120000', 0, 3],
    ])
  })

  it('2: the layer is the lowest that wrote a visible file of the package (F: + R:)', () => {
    const files = view([
      ['/lib/ld-musl-x86_64.so.1', 1],
      ['/bin/busybox', 1],
      ['/etc/busybox-paths.d/busybox', 5], // rewritten later: the install stays layer 1
      ['/usr/bin/curl', 2],
    ])
    const layers = readPackages([db(fixture('apk-installed'), 3)], files).packages.map(
      (p) => p.layer,
    )
    expect(layers).toEqual([1, 1, 2, 3])
  })

  it('3: malformed and cut lines yield what is readable', () => {
    const { packages } = readPackages([db(fixture('apk-malformed'), 1)], new Map())
    expect(packages.map((p) => [p.name, p.version, p.bytes])).toEqual([['cut-short', '1.0-r0', 12]])
  })

  it('4: usrmerge keeps the database in /usr/lib/apk/db; /lib/apk/db wins when both exist', () => {
    const usr = { ...db(fixture('apk-installed'), 2), path: '/usr/lib/apk/db/installed' }
    const lib = db('P:only-lib\nV:1-r0\n', 3)
    expect(readPackages([usr], new Map()).packages).toHaveLength(4)
    expect(readPackages([usr, lib], new Map()).packages.map((p) => p.name)).toEqual(['only-lib'])
    expect(isPackageDatabase('/usr/lib/apk/db/installed')).toBe(true)
    expect(isPackageDatabase('/var/lib/apk/installed')).toBe(false)
  })
})
