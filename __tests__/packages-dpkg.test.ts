import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import type { ViewFile } from '../src/model/files.js'
import { readPackages, type DatabaseText } from '../src/files/packages/index.js'
import { isPackageDatabase } from '../src/files/packages/databases.js'

const FIXTURES = new URL('./fixtures/packages/', import.meta.url)
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8')

const text = (path: string, body: string, layer: number, truncated = false): DatabaseText => ({
  path,
  text: body,
  truncated,
  layer,
})
const view = (files: Array<[string, number]>): Map<string, ViewFile> =>
  new Map(files.map(([path, layer]) => [path, { path, kind: 'file', bytes: 10, layer }]))

describe('dpkg status (a real Debian 12 excerpt)', () => {
  const status = text('/var/lib/dpkg/status', fixture('dpkg-status'), 4)

  it('1: lists only `install ok installed` packages, with Installed-Size in bytes', () => {
    const { packages } = readPackages([status], new Map())
    expect(packages.map((p) => [p.name, p.version, p.bytes])).toEqual([
      ['base-files', '12.4+deb12u11', 341 * 1024],
      ['bash', '5.2.15-2+b8', 7164 * 1024],
      ['libc6', '2.36-9+deb12u14', 13001 * 1024],
      ['tzdata', '2025b-0+deb12u2', 2565 * 1024],
      ['zlib1g', '1:1.2.13.dfsg-1', 168 * 1024],
    ])
    // config-files only (vim-tiny) and half-installed (curl) are not installed
    expect(packages.every((p) => p.manager === 'dpkg' && p.path === '/var/lib/dpkg/status')).toBe(
      true,
    )
  })

  it('2: the layer is the one that wrote info/<name>.list or info/<name>:<arch>.list', () => {
    const files = view([
      ['/var/lib/dpkg/info/base-files.list', 1],
      ['/var/lib/dpkg/info/libc6:amd64.list', 1],
      ['/var/lib/dpkg/info/zlib1g:amd64.list', 3],
      ['/var/lib/dpkg/info/tzdata.md5sums', 2],
    ])
    const layers = Object.fromEntries(
      readPackages([status], files).packages.map((p) => [p.name, p.layer]),
    )
    // bash and tzdata have no visible .list: the database's layer
    expect(layers).toEqual({ 'base-files': 1, bash: 4, libc6: 1, tzdata: 4, zlib1g: 3 })
  })

  it('3: distroless status.d files are read (no Status field: installed), md5sums are not', () => {
    const texts = [
      text('/var/lib/dpkg/status.d/libssl3', fixture('status.d/libssl3'), 2),
      text('/var/lib/dpkg/status.d/libssl3.md5sums', fixture('status.d/libssl3.md5sums'), 2),
    ]
    expect(readPackages(texts, new Map()).packages).toEqual([
      {
        manager: 'dpkg',
        name: 'libssl3',
        version: '3.0.15-1~deb12u1',
        bytes: 6235 * 1024,
        path: '/var/lib/dpkg/status.d/libssl3',
        layer: 2,
      },
    ])
    expect(isPackageDatabase('/var/lib/dpkg/status.d/libssl3')).toBe(true)
    expect(isPackageDatabase('/var/lib/dpkg/status.d/libssl3.md5sums')).toBe(false)
    expect(isPackageDatabase('/var/lib/dpkg/status-old')).toBe(false)
  })

  it('4: CRLF, field case, missing or bad Installed-Size, a truncated last stanza', () => {
    const body =
      'package: a\r\nstatus: install ok installed\r\nversion: 1.0\r\n\r\n' +
      'Package: b\nStatus: install  ok   installed\nVersion: 2\nInstalled-Size: 12k\n\n' +
      'Package: held\nStatus: hold ok installed\nVersion: 3\nInstalled-Size: 4\n\n' +
      'Package: gone\nStatus: purge ok not-installed\nVersion: 3\n\n' +
      'Package: odd\nStatus: install ok installed now\nVersion: 3\n\n' +
      'Package: c\nStatus: install ok installed\nVer'
    const { packages } = readPackages([text('/var/lib/dpkg/status', body, 1, true)], new Map())
    expect(packages.map((p) => [p.name, p.version, p.bytes])).toEqual([
      ['a', '1.0', null],
      ['b', '2', null],
      ['held', '3', 4096],
    ])
  })
})
