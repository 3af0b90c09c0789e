/**
 * The house's shape, checked on the source: no two folders of `src/` import each other, directly
 * or round a loop (a helper one needs from the other belongs in the lower one), and domain code
 * imports no `@actions/*` package (only the action's edges talk to the runner and to GitHub).
 */
import { describe, expect, it } from '@jest/globals'
import {
  folderCycles,
  folderGraph,
  folderOf,
  importEdges,
  importSpecifiers,
  SOURCE_ROOT,
  type ImportEdge,
} from './import-graph.js'

/** Where `@actions/*` may be imported: folders (ending in `/`) and files at the root of `src/`. */
const ACTIONS_ALLOWED = new Set(['action/', 'github/', 'main.ts', 'index.ts'])
/**
 * Files outside those still allowed one. None: image building (`image-build/`) takes its
 * command runner from the action (`action/run-command.ts`).
 */
const ACTIONS_PENDING = new Set<string>()

const edges = importEdges(SOURCE_ROOT)

describe('import graph of src/', () => {
  it('reads every kind of import specifier, and none in comments', () => {
    const text = [
      "import { a } from './a.js'",
      "import type { B } from '../b/b.js'",
      "import * as core from '@actions/core'",
      "import './side-effect.js'",
      "export { c } from './c.js'",
      "export type { D } from './d.js'",
      "export * from './e.js'",
      "const { f } = await import('./f.js')",
      "import {\n  g,\n  type H,\n} from './g.js'",
      "// import { x } from './commented.js'",
      "/* export { y } from './block.js' */",
    ].join('\n')
    expect(importSpecifiers(text)).toEqual([
      './a.js',
      '../b/b.js',
      '@actions/core',
      './side-effect.js',
      './c.js',
      './d.js',
      './e.js',
      './f.js',
      './g.js',
    ])
  })

  it('finds a cycle between folders, and only a cycle', () => {
    const edge = (from: string, target: string): ImportEdge => ({ from, specifier: '', target })
    const looped = [edge('a/x.ts', 'b/y.ts'), edge('b/y.ts', 'c/z.ts'), edge('c/z.ts', 'a/w.ts')]
    expect(folderCycles(folderGraph(looped))).toEqual([['a/', 'b/', 'c/']])
    const layered = [edge('a/x.ts', 'b/y.ts'), edge('a/x.ts', 'c/z.ts'), edge('b/y.ts', 'c/z.ts')]
    expect(folderCycles(folderGraph(layered))).toEqual([])
    // Inside one folder, files may import each other both ways
    expect(folderCycles(folderGraph([edge('a/x.ts', 'a/y.ts'), edge('a/y.ts', 'a/x.ts')]))).toEqual(
      [],
    )
  })

  it('reads the real tree (every folder of src/ is in the graph)', () => {
    const graph = folderGraph(edges)
    for (const folder of ['model/', 'compare/', 'explain/', 'render/', 'budget/', 'format/']) {
      expect(graph.has(folder)).toBe(true)
    }
  })

  it('has no cycle between folders', () => {
    const cycles = folderCycles(folderGraph(edges)).map((folders) => {
      const inCycle = new Set(folders)
      const lines = edges
        .filter(
          (e) =>
            e.target !== undefined &&
            inCycle.has(folderOf(e.from)) &&
            inCycle.has(folderOf(e.target)) &&
            folderOf(e.from) !== folderOf(e.target),
        )
        .map((e) => `  ${e.from} → ${e.specifier}`)
      return [`${folders.join(' ↔ ')}:`, ...lines].join('\n')
    })
    expect(cycles).toEqual([])
  })

  it('imports @actions/* only in the action, the GitHub publisher, main.ts and index.ts', () => {
    const outside = edges
      .filter((e) => e.specifier.startsWith('@actions/'))
      .filter((e) => !ACTIONS_ALLOWED.has(folderOf(e.from)) && !ACTIONS_PENDING.has(e.from))
      .map((e) => `${e.from} → ${e.specifier}`)
    expect(outside).toEqual([])
  })
})
