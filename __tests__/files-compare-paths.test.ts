/** Base vs PR by path, and the hidden bytes the PR's own layers added. */
import { analyseFiles } from '../src/files/analyse.js'
import { comparePaths, sumReclaimableAdded } from '../src/files/compare-paths.js'
import type { HiddenCopy, LayerEntry, LayerListing, ViewFile } from '../src/model/files.js'
import type { ImageInfo, Layer } from '../src/model/image.js'

function viewOf(files: Record<string, number>): Map<string, ViewFile> {
  return new Map(
    Object.entries(files).map(([path, bytes]) => [path, { path, kind: 'file', bytes, layer: 1 }]),
  )
}

describe('comparePaths', () => {
  it('1. a new directory of many files is one row with its count; a grown file its own row', () => {
    const newDir: Record<string, number> = {}
    for (let i = 0; i < 3000; i++) newDir[`/app/node_modules/m${i}/index.js`] = 10
    const base = viewOf({ '/app/main.js': 100, '/etc/conf': 5 })
    const head = viewOf({ '/app/main.js': 150, '/etc/conf': 5, ...newDir })
    expect(comparePaths(base, head)).toEqual([
      {
        ...{ path: '/app/node_modules', directory: true, change: 'added' },
        ...{ bytesBefore: 0, bytesAfter: 30000, countBefore: 0, countAfter: 3000 },
      },
      {
        ...{ path: '/app/main.js', directory: false, change: 'grown' },
        ...{ bytesBefore: 100, bytesAfter: 150, countBefore: 1, countAfter: 1 },
      },
    ])
  })

  it('2. removed and shrunk files and removed directories, largest |change| first', () => {
    const base = viewOf({ '/a': 10, '/b': 500, '/old/x': 70, '/old/y/z': 30, '/keep/f': 3 })
    const head = viewOf({ '/b': 450, '/keep/g': 1, '/keep/f': 3 })
    expect(
      comparePaths(base, head).map((r) => [r.path, r.change, r.countBefore, r.countAfter]),
    ).toEqual([
      ['/old', 'removed', 2, 0],
      ['/b', 'shrunk', 1, 1],
      ['/a', 'removed', 1, 0],
      ['/keep/g', 'added', 0, 1],
    ])
  })

  it('2b. a new or removed directory holding one file is that file’s row', () => {
    const base = viewOf({ '/gone/deep/only': 40, '/keep': 1 })
    const head = viewOf({ '/usr/local/toolchain/cc1': 600, '/keep': 1 })
    expect(
      comparePaths(base, head).map((r) => [
        r.path,
        r.directory,
        r.change,
        r.bytesBefore,
        r.bytesAfter,
      ]),
    ).toEqual([
      ['/usr/local/toolchain/cc1', false, 'added', 0, 600],
      ['/gone/deep/only', false, 'removed', 40, 0],
    ])
  })

  it('3. stays within the bound, grouping the deepest rows into their directories', () => {
    const base: Record<string, number> = {}
    const head: Record<string, number> = {}
    for (let d = 0; d < 40; d++)
      for (let f = 0; f < 30; f++) {
        base[`/srv/d${d}/f${f}`] = 100
        head[`/srv/d${d}/f${f}`] = 100 + d + 1
      }
    const rows = comparePaths(viewOf(base), viewOf(head), 100)
    expect(rows.length).toBeLessThanOrEqual(100)
    expect(rows).toHaveLength(40)
    expect(rows[0]).toEqual({
      ...{ path: '/srv/d39', directory: true, change: 'grown' },
      ...{ bytesBefore: 3000, bytesAfter: 3000 + 30 * 40, countBefore: 30, countAfter: 30 },
    })
    // nothing changed: no rows
    expect(comparePaths(viewOf(base), viewOf(base))).toEqual([])
  })
})

describe('sumReclaimableAdded', () => {
  const copy = (layer: number, hiddenBy: number, bytes: number): HiddenCopy => ({
    ...{ path: `/p${layer}-${hiddenBy}`, bytes, layer, hiddenBy, how: 'deleted' },
  })
  it('1. counts copies stored or hidden by a layer the base does not have', () => {
    const hidden = [copy(1, 2, 1000), copy(1, 3, 20), copy(3, 4, 5)]
    const head = ['sha256:a', 'sha256:b', 'sha256:c', 'sha256:d']
    expect(sumReclaimableAdded(hidden, head, ['sha256:a', 'sha256:b'])).toBe(25)
    expect(sumReclaimableAdded(hidden, head, undefined)).toBe(1025)
  })
})

describe('analyseFiles', () => {
  const file = (path: string, bytes: number): LayerEntry => ({ path, kind: 'file', bytes })
  const listed = (...entries: LayerEntry[]): LayerListing => ({ entries, captured: [] })
  const image = (layers: Array<[string, LayerListing | undefined]>): ImageInfo => ({
    reference: 'img',
    origin: { kind: 'registry', registry: '127.0.0.1:5000' },
    sizeOrigin: 'layer-content',
    notes: [],
    layers: layers.map(([diffId, listing]): Layer => ({ diffId, instruction: '', listing })),
  })
  // one listing object shared by both images, as the sources hand it over
  const shared = listed(file('/bin/busybox', 1000), file('/etc/big', 300))

  it('1. compares base and PR and counts only the PR’s own hidden bytes', () => {
    const base = image([['sha256:base', shared]])
    const head = image([
      ['sha256:base', shared],
      ['sha256:pr', listed(file('/etc/big', 10), file('/app/x', 7))],
    ])
    const result = analyseFiles(base, head)
    expect(result?.base?.count).toBe(2)
    expect(result?.head).toMatchObject({ count: 3, bytes: 1017, reclaimableBytes: 300 })
    expect(result?.reclaimableAddedBytes).toBe(300)
    expect(result?.changes.map((c) => [c.path, c.change])).toEqual([
      ['/etc/big', 'shrunk'],
      ['/app/x', 'added'],
    ])
  })

  it('2. without a baseline gives the head alone, no path changes', () => {
    const head = image([['sha256:base', shared]])
    const result = analyseFiles(undefined, head)
    expect(result).toBeDefined()
    expect(result?.base).toBeUndefined()
    expect(result?.changes).toEqual([])
    expect(result?.head.count).toBe(2)
  })

  it('3. is undefined when a layer of either image was not listed', () => {
    const head = image([['sha256:base', shared]])
    expect(analyseFiles(image([['sha256:x', undefined]]), head)).toBeUndefined()
    expect(analyseFiles(undefined, image([['sha256:x', undefined]]))).toBeUndefined()
  })
})

describe('analyseFiles on an unchanged image', () => {
  it('1. describes the same layers once and finds no change', () => {
    const listing: LayerListing = {
      entries: [{ path: '/f', kind: 'file', bytes: 5 }],
      captured: [],
    }
    const image = (reference: string): ImageInfo => ({
      reference,
      origin: { kind: 'registry', registry: '127.0.0.1:5000' },
      sizeOrigin: 'layer-content',
      notes: [],
      layers: [{ diffId: 'sha256:same', instruction: '', listing }],
    })
    const result = analyseFiles(image('base'), image('head'))
    expect(result?.base).toBe(result?.head)
    expect(result?.changes).toEqual([])
    expect(result?.reclaimableAddedBytes).toBe(0)
  })
})
