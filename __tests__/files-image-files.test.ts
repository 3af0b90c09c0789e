/** One image's files: totals, largest files and directories, secrets, OS release. */
import { describeImageFiles, largestOf, TOP_ENTRIES } from '../src/files/image-files.js'
import { parseAlpineRelease, parseOsRelease, readOsRelease } from '../src/files/os-release.js'
import type { CapturedFile, LayerEntry, LayerListing } from '../src/model/files.js'

const dir = (path: string): LayerEntry => ({ path, kind: 'directory', bytes: 0 })
const file = (path: string, bytes: number): LayerEntry => ({ path, kind: 'file', bytes })
const whiteout = (path: string): LayerEntry => ({ path, kind: 'whiteout', bytes: 0 })
const layer = (entries: LayerEntry[], captured: CapturedFile[] = []): LayerListing => ({
  entries,
  captured,
})

describe('describeImageFiles', () => {
  it('1. counts visible files and bytes, and reclaimable bytes from hidden copies only', () => {
    const files = describeImageFiles([
      layer([file('/a', 100), file('/b', 10)]),
      layer([file('/a', 40), whiteout('/b')]),
    ])
    expect({ count: files.count, bytes: files.bytes }).toEqual({ count: 1, bytes: 40 })
    expect(files.reclaimableBytes).toBe(110)
    expect(files.hidden.map((h) => h.bytes)).toEqual([100, 10])
  })

  it('2. lists the largest files with the layer that wrote them, top 20', () => {
    const entries = Array.from({ length: 30 }, (_, i) => file(`/f${i}`, i * 10))
    const files = describeImageFiles([layer(entries), layer([file('/f3', 5000)])])
    expect(files.largest).toHaveLength(TOP_ENTRIES)
    expect(files.largest[0]).toEqual({ path: '/f3', kind: 'file', bytes: 5000, layer: 2 })
    expect(files.largest[1]).toMatchObject({ path: '/f29', bytes: 290, layer: 1 })
    expect(files.largest.at(-1)).toMatchObject({ path: '/f11', bytes: 110 })
  })

  it('3. totals directories down to depth 3, everything below each, largest first', () => {
    const files = describeImageFiles([
      layer([
        ...['/usr', '/usr/lib', '/usr/lib/x', '/usr/lib/x/deep', '/opt'].map(dir),
        file('/usr/lib/x/deep/f', 7),
        file('/usr/lib/g', 3),
        file('/opt/o', 1),
        file('/top', 99),
      ]),
    ])
    expect(files.directories).toEqual([
      { path: '/usr', bytes: 10, count: 2 },
      { path: '/usr/lib', bytes: 10, count: 2 },
      { path: '/usr/lib/x', bytes: 7, count: 1 },
      { path: '/opt', bytes: 1, count: 1 },
    ])
  })

  it('4. marks a secret visible only where its copy is the one a container sees', () => {
    const secret = (path: string): CapturedFile => ({ path, kind: 'secret', secret: 'env-file' })
    const files = describeImageFiles([
      layer(
        [dir('/app'), file('/app/.env', 20), file('/app/.env.prod', 9)],
        [secret('/app/.env'), secret('/app/.env.prod')],
      ),
      layer([file('/app/.env', 25), whiteout('/app/.env.prod')], [secret('/app/.env')]),
    ])
    expect(files.secrets).toEqual([
      { path: '/app/.env', kind: 'env-file', layer: 2, visible: true },
      { path: '/app/.env', kind: 'env-file', layer: 1, visible: false },
      { path: '/app/.env.prod', kind: 'env-file', layer: 1, visible: false },
    ])
  })

  it('5. reads the OS from the visible os-release, not from a copy a later layer replaced', () => {
    const text = (path: string, body: string): CapturedFile => ({
      path,
      kind: 'text',
      text: body,
      truncated: false,
    })
    const files = describeImageFiles([
      layer([file('/etc/os-release', 30)], [text('/etc/os-release', 'ID=alpine\n')]),
      layer(
        [file('/etc/os-release', 60)],
        [
          text(
            '/etc/os-release',
            'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n',
          ),
        ],
      ),
    ])
    expect(files.os).toEqual({
      id: 'debian',
      versionId: '12',
      prettyName: 'Debian GNU/Linux 12 (bookworm)',
    })
    expect(describeImageFiles([layer([file('/bin/sh', 1)])]).os).toBeNull()
  })

  it('6. gives dive’s figures alongside', () => {
    const files = describeImageFiles([layer([file('/a', 10)]), layer([file('/a', 30)])])
    expect(files.dive).toEqual({
      // dive keeps the smallest copy of a path, not the visible one
      efficiency: 10 / 40,
      wastedBytes: 40,
      userSizeBytes: 30,
      wastedUserPercent: 40 / 30,
    })
    expect(files.reclaimableBytes).toBe(10)
  })
})

describe('describeImageFiles at scale', () => {
  it('1. describes 200,000 entries over three layers without blowing up', () => {
    const first: LayerEntry[] = []
    for (let d = 0; d < 500; d++) {
      first.push(dir(`/srv/d${d}`))
      for (let f = 0; f < 300; f++) first.push(file(`/srv/d${d}/f${f}`, 100))
    }
    const second: LayerEntry[] = []
    for (let d = 0; d < 100; d++) second.push(whiteout(`/srv/d${d}`))
    for (let i = 0; i < 50000; i++) second.push(file(`/srv/d${100 + (i % 400)}/f${i % 300}`, 50))
    const files = describeImageFiles([layer([dir('/srv')]), layer(first), layer(second)])
    expect(files.count).toBe(400 * 300)
    // 100 deleted directories of 300 files (100 bytes each); the overwrites repeat every
    // 1,200 entries: the first write of a path hides its 100-byte copy, each later write in
    // the same layer hides the previous 50-byte one
    const overwritten = new Set(Array.from({ length: 50000 }, (_, i) => `${i % 400}/${i % 300}`))
    const rewritten = 50000 - overwritten.size
    expect(files.reclaimableBytes).toBe(100 * 300 * 100 + overwritten.size * 100 + rewritten * 50)
    expect(files.directories[0]).toMatchObject({ path: '/srv', count: 120000 })
    expect(files.dive.userSizeBytes).toBe(500 * 300 * 100 + 50000 * 50)
  })
})

describe('os-release parsing', () => {
  it.each([
    [
      '1. quoted values',
      'NAME="Ubuntu"\nID=ubuntu\nVERSION_ID="24.04"\nPRETTY_NAME="Ubuntu 24.04.1 LTS"',
      { id: 'ubuntu', versionId: '24.04', prettyName: 'Ubuntu 24.04.1 LTS' },
    ],
    [
      '2. single quotes and comments',
      "# comment\nID='rhel'\nVERSION_ID='9.4'",
      { id: 'rhel', versionId: '9.4', prettyName: null },
    ],
    [
      '3. escapes and CRLF',
      'ID=debian\r\nPRETTY_NAME="say \\"hi\\""\r\n',
      { id: 'debian', versionId: null, prettyName: 'say "hi"' },
    ],
  ])('%s', (_name, text, expected) => {
    expect(parseOsRelease(text)).toEqual(expected)
  })

  it('4. without an ID there is no release', () => {
    expect(parseOsRelease('NAME=thing\n')).toBeNull()
  })

  it('5. /etc/alpine-release gives id alpine, /etc/os-release wins over it', () => {
    expect(parseAlpineRelease('3.20.3\n')).toEqual({
      id: 'alpine',
      versionId: '3.20.3',
      prettyName: null,
    })
    const texts = new Map([
      ['/etc/alpine-release', '3.20.3\n'],
      ['/usr/lib/os-release', 'ID=alpine\nVERSION_ID=3.20.3\nPRETTY_NAME="Alpine Linux v3.20"'],
    ])
    expect(readOsRelease(texts)?.prettyName).toBe('Alpine Linux v3.20')
    expect(readOsRelease(new Map([['/etc/alpine-release', '3.19.1']]))?.versionId).toBe('3.19.1')
  })
})

describe('largestOf', () => {
  it('1. keeps the n largest, largest first, ties by path', () => {
    const items = [5, 1, 9, 3, 9, 7].map((bytes, i) => ({ path: `/p${i}`, bytes }))
    expect(largestOf(items, 3).map((x) => x.path)).toEqual(['/p2', '/p4', '/p5'])
  })
})
