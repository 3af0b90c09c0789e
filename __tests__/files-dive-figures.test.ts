/**
 * dive's figures on dive's own test image (wagoodman/dive .data/test-docker-image.tar), from
 * a listing of its tar headers only (no file content), read through the real listing code.
 */
import { readFileSync } from 'node:fs'
import type { Header } from 'tar-stream'
import { computeDiveFigures } from '../src/files/dive-figures.js'
import { mergeLayers } from '../src/files/merge.js'
import type { LayerEntry, LayerListing } from '../src/model/files.js'
import { entryContentBytes } from '../src/sources/layers/layer-content.js'
import { toLayerEntry } from '../src/sources/layers/layer-listing.js'

type FixtureEntry = [name: string, type: Header['type'], size: number, linkname?: string]

function readFixture(): LayerListing[] {
  const url = new URL('./fixtures/dive/test-docker-image.listing.json', import.meta.url)
  const fixture = JSON.parse(readFileSync(url, 'utf8')) as { layers: { entries: FixtureEntry[] }[] }
  return fixture.layers.map((layer) => ({
    captured: [],
    entries: layer.entries
      .map(([name, type, size, linkname]): LayerEntry => {
        const header: Header = {
          ...{ mode: 0o644, mtime: new Date(0), uid: 0, gid: 0, uname: '', gname: '' },
          ...{ devmajor: 0, devminor: 0, name, type, size, linkname: linkname ?? '' },
        }
        return toLayerEntry(header, entryContentBytes(header))
      })
      .filter((entry) => entry.path !== '/'),
  }))
}

const entry = (path: string, kind: LayerEntry['kind'], bytes = 0): LayerEntry => ({
  path,
  kind,
  bytes,
})
const layer = (...entries: LayerEntry[]): LayerListing => ({ entries, captured: [] })

describe('computeDiveFigures', () => {
  it('1. gives dive’s published figures for dive’s own test image, to the last digit', () => {
    const figures = computeDiveFigures(readFixture())
    expect(figures).toEqual({
      efficiency: 0.9844212134184309,
      wastedBytes: 32025,
      userSizeBytes: 66237,
      wastedUserPercent: 0.4834911001404049,
    })
  })

  it('1b. holds dive’s whole-image size too (every entry’s tar header size), so the fixture is faithful', () => {
    const sizes = readFixture().flatMap((listing) =>
      listing.entries.map((entry) => (entry.kind === 'file' ? entry.bytes : 0)),
    )
    expect(sizes.reduce((sum, bytes) => sum + bytes, 0)).toBe(1220598)
  })

  it('2. merges that image into the issue’s contract figures, with the copies dive gets wrong', () => {
    const merged = mergeLayers(readFixture())
    const bytes = [...merged.view.values()].reduce((sum, file) => sum + file.bytes, 0)
    expect({ count: merged.view.size, bytes }).toEqual({ count: 405, bytes: 1188573 })
    // README.md (6405 bytes) copied around: dive also counts 32025, but from other copies (it
    // counts the surviving /root/saved.txt and misses somefile2.txt, removed with its directory)
    const copy = (path: string, layer: number, hiddenBy: number, how: string) => ({
      path,
      bytes: 6405,
      layer,
      hiddenBy,
      how,
    })
    expect(merged.hidden).toEqual([
      copy('/root/example/somefile1.txt', 4, 5, 'overwritten'),
      copy('/root/example/somefile3.txt', 7, 8, 'deleted'),
      copy('/root/example/somefile2.txt', 6, 10, 'deleted'),
      copy('/root/example/somefile1.txt', 5, 10, 'deleted'),
      copy('/root/saved.txt', 8, 14, 'overwritten'),
    ])
  })

  it('3. counts every copy of a path met twice, the visible one too, and a file whiteout as 0', () => {
    const figures = computeDiveFigures([
      layer(entry('/a', 'file', 100)),
      layer(entry('/a', 'file', 30), entry('/b', 'file', 5)),
      layer(entry('/b', 'whiteout')),
    ])
    expect(figures.wastedBytes).toBe(130 + 5)
    expect(figures.userSizeBytes).toBe(35)
    // smallest per path: /a 30, /b 0; all copies: 100 + 30 + 5
    expect(figures.efficiency).toBe(30 / 135)
    expect(figures.wastedUserPercent).toBe(135 / 35)
  })

  it('4. weighs a directory whiteout by what lay below it, but not as waste (dive#684)', () => {
    const figures = computeDiveFigures([
      layer(entry('/d', 'directory'), entry('/d/x', 'file', 40), entry('/d/y', 'file', 2)),
      layer(entry('/d', 'whiteout')),
    ])
    expect(figures.wastedBytes).toBe(0)
    expect(figures.efficiency).toBe(1)
  })

  it('5. stops a layer’s walk at a whiteout of a missing path, as dive does', () => {
    const figures = computeDiveFigures([
      layer(entry('/a', 'file', 10), entry('/z', 'directory')),
      // dive's order: /a (met twice), /z/.wh.b (nothing below: the walk stops), /z/c (never seen)
      layer(entry('/z/c', 'file', 7), entry('/z/b', 'whiteout'), entry('/a', 'file', 10)),
    ])
    expect(figures.wastedBytes).toBe(20)
    // smallest: /a 10, /z 0, /z/b -1 (dive's unset marker); all copies: 20
    expect(figures.efficiency).toBe(9 / 20)
  })

  it('6. ignores symlink target lengths and gives null percent without user layers', () => {
    const figures = computeDiveFigures([layer(entry('/l', 'symlink', 12), entry('/f', 'file', 3))])
    expect(figures).toEqual({
      efficiency: 1,
      wastedBytes: 0,
      userSizeBytes: 0,
      wastedUserPercent: null,
    })
  })
})
