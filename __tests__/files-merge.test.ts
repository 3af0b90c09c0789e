/** The container's view of merged layers, and the copies it can never see. */
import { mergeLayers } from '../src/files/merge.js'
import type { HiddenCopy, LayerEntry, LayerListing } from '../src/model/files.js'

const dir = (path: string): LayerEntry => ({ path, kind: 'directory', bytes: 0 })
const file = (path: string, bytes: number): LayerEntry => ({ path, kind: 'file', bytes })
const whiteout = (path: string): LayerEntry => ({ path, kind: 'whiteout', bytes: 0 })
const opaque = (path: string): LayerEntry => ({ path, kind: 'opaque', bytes: 0 })
const layer = (...entries: LayerEntry[]): LayerListing => ({ entries, captured: [] })

/** The view as `path: bytes@layer`, sorted */
function viewOf(layers: LayerListing[]): string[] {
  return [...mergeLayers(layers).view.values()]
    .map((f) => `${f.path}: ${f.bytes}@${f.layer}`)
    .sort()
}

const hiddenOf = (layers: LayerListing[]): HiddenCopy[] => mergeLayers(layers).hidden

describe('mergeLayers', () => {
  it('1. a whiteout removes the path and everything below it, each copy hidden as deleted', () => {
    const layers = [
      layer(dir('/d'), file('/d/a', 10), dir('/d/s'), file('/d/s/b', 20), file('/keep', 1)),
      layer(whiteout('/d')),
    ]
    expect(viewOf(layers)).toEqual(['/keep: 1@1'])
    expect(hiddenOf(layers).sort((a, b) => a.bytes - b.bytes)).toEqual([
      { path: '/d/a', bytes: 10, layer: 1, hiddenBy: 2, how: 'deleted' },
      { path: '/d/s/b', bytes: 20, layer: 1, hiddenBy: 2, how: 'deleted' },
    ])
  })

  it('2. a deleted directory that is created again starts empty', () => {
    const layers = [
      layer(dir('/d'), file('/d/old', 5)),
      layer(whiteout('/d')),
      layer(dir('/d'), file('/d/new', 7)),
    ]
    expect(viewOf(layers)).toEqual(['/d/new: 7@3'])
  })

  it('3. an opaque marker removes what lower layers put below the directory, at any depth', () => {
    const layers = [
      layer(dir('/d'), file('/d/a', 10), dir('/d/s'), file('/d/s/b', 20), file('/e', 3)),
      layer(dir('/d'), opaque('/d'), file('/d/c', 4)),
    ]
    expect(viewOf(layers)).toEqual(['/d/c: 4@2', '/e: 3@1'])
    expect(hiddenOf(layers).map((h) => [h.path, h.how, h.hiddenBy])).toEqual(
      expect.arrayContaining([
        ['/d/a', 'deleted', 2],
        ['/d/s/b', 'deleted', 2],
      ]),
    )
    expect(hiddenOf(layers)).toHaveLength(2)
  })

  it('4. an opaque marker keeps the same layer’s entries whatever their tar order', () => {
    const layers = [
      layer(dir('/d'), file('/d/a', 10), dir('/d/s'), file('/d/s/old', 1)),
      // the marker after the layer's own entries, one of them deeper below a lower directory
      layer(dir('/d'), file('/d/b', 2), file('/d/s/new', 3), opaque('/d')),
    ]
    expect(viewOf(layers)).toEqual(['/d/b: 2@2', '/d/s/new: 3@2'])
    expect(
      hiddenOf(layers)
        .map((h) => h.path)
        .sort(),
    ).toEqual(['/d/a', '/d/s/old'])
  })

  it('5. an opaque marker high up keeps the same layer’s deep entries and their parents', () => {
    const layers = [
      layer(dir('/a'), dir('/a/b'), file('/a/b/old', 1), file('/a/x', 9)),
      layer(file('/a/b/new', 2), opaque('/a')),
    ]
    expect(viewOf(layers)).toEqual(['/a/b/new: 2@2'])
  })

  it('6. a file replaced by a directory is hidden as overwritten', () => {
    const layers = [layer(file('/p', 50)), layer(dir('/p'), file('/p/q', 1))]
    expect(viewOf(layers)).toEqual(['/p/q: 1@2'])
    expect(hiddenOf(layers)).toEqual([
      { path: '/p', bytes: 50, layer: 1, hiddenBy: 2, how: 'overwritten' },
    ])
  })

  it('7. a directory replaced by a file hides everything that was below it', () => {
    const layers = [layer(dir('/p'), file('/p/q', 8), file('/p/r', 9)), layer(file('/p', 1))]
    expect(viewOf(layers)).toEqual(['/p: 1@2'])
    expect(
      hiddenOf(layers)
        .map((h) => `${h.path} ${h.how}`)
        .sort(),
    ).toEqual(['/p/q overwritten', '/p/r overwritten'])
  })

  it('8. counts each overwritten copy once, never the surviving one', () => {
    const layers = [layer(file('/f', 100)), layer(file('/f', 200)), layer(file('/f', 300))]
    expect(viewOf(layers)).toEqual(['/f: 300@3'])
    expect(hiddenOf(layers).map((h) => [h.bytes, h.layer, h.hiddenBy])).toEqual([
      [100, 1, 2],
      [200, 2, 3],
    ])
  })

  it('9. counts a hard link’s bytes once, with its target, and a symlink by its target length', () => {
    const layers = [
      layer(
        file('/bin/busybox', 1000),
        { path: '/bin/sh', kind: 'hardlink', bytes: 0, target: '/bin/busybox' },
        { path: '/bin/ls', kind: 'hardlink', bytes: 1000, target: '/bin/busybox' },
        { path: '/bin/vi', kind: 'symlink', bytes: 7 },
      ),
    ]
    const view = mergeLayers(layers).view
    expect(view.get('/bin/sh')).toEqual({ path: '/bin/sh', kind: 'hardlink', bytes: 0, layer: 1 })
    expect(view.get('/bin/ls')?.bytes).toBe(0)
    expect(view.get('/bin/vi')).toEqual({ path: '/bin/vi', kind: 'symlink', bytes: 7, layer: 1 })
    expect([...view.values()].reduce((s, f) => s + f.bytes, 0)).toBe(1007)
  })

  it('9b. a copy whose inode a hard link still reaches is not hidden bytes (overlay2 copy-up)', () => {
    const link = (path: string, target: string): LayerEntry => ({
      path,
      kind: 'hardlink',
      bytes: 0,
      target,
    })
    const layers = [
      layer(
        dir('/data'),
        file('/data/a', 50_000),
        link('/data/b', '/data/a'),
        link('/data/c', '/data/a'),
      ),
      // copy-up: /data/a is rewritten; /data/b and /data/c keep the first inode
      layer(file('/data/a', 50_007)),
    ]
    expect(viewOf(layers)).toEqual(['/data/a: 50007@2', '/data/b: 50000@1', '/data/c: 0@1'])
    expect(hiddenOf(layers).map((h) => [h.path, h.bytes])).toEqual([['/data/a', 0]])
    // once no path reaches the inode, its bytes are hidden, once
    const gone = [...layers, layer(whiteout('/data/b')), layer(whiteout('/data/c'))]
    expect(viewOf(gone)).toEqual(['/data/a: 50007@2'])
    expect(hiddenOf(gone).map((h) => [h.path, h.bytes, h.hiddenBy])).toEqual([
      ['/data/a', 0, 2],
      ['/data/b', 0, 3],
      ['/data/c', 50_000, 4],
    ])
  })

  it('10. a whiteout of a path that is not there changes nothing', () => {
    const layers = [layer(file('/a', 1)), layer(whiteout('/nothing'), whiteout('/a/b'))]
    expect(viewOf(layers)).toEqual(['/a: 1@1'])
    expect(hiddenOf(layers)).toEqual([])
  })

  it('11. merges 200,000 entries with deletes and overwrites without blowing up', () => {
    const files: LayerEntry[] = [dir('/data')]
    for (let d = 0; d < 1000; d++) {
      files.push(dir(`/data/d${d}`))
      for (let f = 0; f < 200; f++) files.push(file(`/data/d${d}/f${f}`, 10))
    }
    const rewrite: LayerEntry[] = []
    for (let d = 0; d < 1000; d += 2) rewrite.push(whiteout(`/data/d${d}`))
    for (let d = 1; d < 1000; d += 2) rewrite.push(file(`/data/d${d}/f0`, 20))
    const merged = mergeLayers([
      { entries: files, captured: [] },
      { entries: rewrite, captured: [] },
    ])
    expect(merged.view.size).toBe(500 * 200)
    expect(merged.hidden.length).toBe(500 * 200 + 500)
    expect(merged.hidden.reduce((s, h) => s + h.bytes, 0)).toBe((500 * 200 + 500) * 10)
  })
})
