import { describe, expect, it } from '@jest/globals'
import type { ViewFile } from '../src/model/files.js'
import { comparePackages, readPackages, type DatabaseText } from '../src/files/packages/index.js'

/** A small seeded generator, so a failure can be replayed */
function pseudoRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0
    return state / 2 ** 32
  }
}

const PATHS = [
  '/var/lib/dpkg/status',
  '/var/lib/dpkg/status.d/x',
  '/lib/apk/db/installed',
  '/usr/lib/python3/site-packages/x-1.dist-info/METADATA',
  '/usr/lib/python3/site-packages/x-1.dist-info/RECORD',
  '/usr/lib/python3/site-packages/x.egg-info',
  '/app/node_modules/x/package.json',
  '/app/package.json',
]
/** Characters the parsers split on, plus some that are not */
const ALPHABET = 'P:V:I:\n\n \t,"\'{}[]:.-~+_0123456789abcrcpost\r\u0000é🙂Package:Status:Version:'

function garbage(random: () => number, length: number): string {
  let text = ''
  for (let i = 0; i < length; i++) text += ALPHABET[Math.floor(random() * ALPHABET.length)]
  return text
}

describe('untrusted database text', () => {
  it('1: random text in every database never throws, and versions read back are strings', () => {
    const random = pseudoRandom(9)
    for (let round = 0; round < 200; round++) {
      const texts: DatabaseText[] = PATHS.map((path, i) => ({
        path,
        text: garbage(random, Math.floor(random() * 2000)),
        truncated: random() < 0.3,
        layer: i + 1,
      }))
      const { packages } = readPackages(texts, new Map())
      for (const p of packages) expect(typeof p.version).toBe('string')
      expect(Array.isArray(comparePackages(packages, packages.slice(1)))).toBe(true)
    }
  })

  it('2: names and versions are kept as data, markup and all', () => {
    const name = '<img src=x onerror=alert(1)>@everyone'
    const texts: DatabaseText[] = [
      {
        path: '/var/lib/dpkg/status',
        text: `Package: ${name}\nStatus: install ok installed\nVersion: 1.0<script>\n`,
        truncated: false,
        layer: 1,
      },
    ]
    expect(readPackages(texts, new Map()).packages[0]).toMatchObject({
      name,
      version: '1.0<script>',
    })
  })

  it('3: huge inputs: a 40k-package status, a long version, deep JSON nesting', () => {
    const stanza = (i: number) =>
      `Package: p${i}\nStatus: install ok installed\nInstalled-Size: 1\nVersion: 1.${i}\nDescription: x\n ${'y'.repeat(200)}\n`
    const status = Array.from({ length: 40000 }, (_, i) => stanza(i)).join('\n')
    const deep = '['.repeat(100000) + ']'.repeat(100000)
    const long = `1.${'0.'.repeat(5000)}x`
    const view = new Map<string, ViewFile>()
    const { packages } = readPackages(
      [
        { path: '/var/lib/dpkg/status', text: status, truncated: false, layer: 1 },
        { path: '/a/node_modules/deep/package.json', text: deep, truncated: false, layer: 1 },
      ],
      view,
    )
    expect(packages).toHaveLength(40000)
    expect(
      comparePackages(
        [{ ...packages[0], version: long }],
        [{ ...packages[0], version: `${long}y` }],
      )[0].change,
    ).toBe('changed')
  })

  it('4: one name held 50,000 times at different versions compares as one set, quickly', () => {
    const copies = (major: number) =>
      Array.from({ length: 50000 }, (_, i) => ({
        manager: 'npm' as const,
        name: 'dup',
        version: `${major}.${i}.0`,
        bytes: 1,
        path: `/a/node_modules/x${i}/node_modules/dup`,
        layer: 1,
      }))
    const [change] = comparePackages(copies(1), copies(2))
    expect(change).toMatchObject({ name: 'dup', change: 'upgraded', bytesBefore: 50000 })
    expect(change.before?.startsWith('1.0.0, 1.1.0, 1.2.0,')).toBe(true)
    expect(comparePackages(copies(1), copies(1).reverse())).toEqual([])
  })
})
