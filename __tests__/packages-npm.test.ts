import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import type { ViewFile } from '../src/model/files.js'
import { readPackages, type DatabaseText } from '../src/files/packages/index.js'
import { isPackageDatabase } from '../src/files/packages/databases.js'

/** Image path → package.json text: real npm packages' manifests and an app's */
const FILES = JSON.parse(
  readFileSync(new URL('./fixtures/packages/npm-files.json', import.meta.url), 'utf8'),
) as Record<string, string>
const TEXTS: DatabaseText[] = Object.entries(FILES).map(([path, text]) => ({
  path,
  text,
  truncated: false,
  layer: path.startsWith('/usr/') ? 1 : 3,
}))

/** Every package.json plus the other files of each package, with sizes */
function viewOf(extra: Array<[string, number]>): Map<string, ViewFile> {
  const view = new Map<string, ViewFile>()
  const add = (path: string, bytes: number) =>
    view.set(path, { path, kind: 'file', bytes, layer: 3 })
  for (const [path, text] of Object.entries(FILES)) add(path, Buffer.byteLength(text))
  for (const [path, bytes] of extra) add(path, bytes)
  return view
}

describe('npm packages and app manifests', () => {
  const extra: Array<[string, number]> = [
    ['/app/node_modules/ms/index.js', 3024],
    ['/app/node_modules/@types/node/index.d.ts', 4000],
    ['/app/node_modules/glob/dist/esm/index.js', 500],
    ['/app/node_modules/glob/node_modules/minimatch/dist/index.js', 700],
    ['/app/node_modules/glob/node_modules/.bin/x', 9],
    ['/app/node_modules/.bin/jest', 11],
    ['/app/node_modules/.package-lock.json', 99],
    ['/app/node_modules/@types/node-extra-file-elsewhere', 5],
  ]
  const view = viewOf(extra)
  const { packages, manifests } = readPackages(TEXTS, view)
  const byPath = new Map(packages.map((p) => [p.path, p]))
  const size = (path: string) => Buffer.byteLength(FILES[`${path}/package.json`])

  it('1: every package root, scoped and nested, with name and version from its JSON', () => {
    expect(packages.map((p) => [p.path, p.name, p.version, p.layer]).sort()).toEqual(
      [
        ['/app/node_modules/@types/node', '@types/node', '20.19.43', 3],
        ['/app/node_modules/glob', 'glob', '13.0.7', 3],
        ['/app/node_modules/glob/node_modules/minimatch', 'minimatch', '10.2.6', 3],
        ['/app/node_modules/jest', 'jest', '30.5.2', 3],
        ['/app/node_modules/ms', 'ms', '2.1.3', 3],
        ['/app/node_modules/typescript', 'typescript', '5.6.3', 3],
        ['/usr/local/lib/node_modules/npm', 'npm', '10.8.2', 1],
      ].sort(),
    )
    // glob/dist/esm/package.json is inside a package: neither a package nor a manifest
    expect(packages.every((p) => p.manager === 'npm')).toBe(true)
  })

  it('2: bytes are the visible files under the package, nested node_modules excluded', () => {
    expect(byPath.get('/app/node_modules/ms')?.bytes).toBe(size('/app/node_modules/ms') + 3024)
    expect(byPath.get('/app/node_modules/@types/node')?.bytes).toBe(
      size('/app/node_modules/@types/node') + 4000,
    )
    expect(byPath.get('/app/node_modules/glob')?.bytes).toBe(
      size('/app/node_modules/glob') + size('/app/node_modules/glob/dist/esm') + 500,
    )
    expect(byPath.get('/app/node_modules/glob/node_modules/minimatch')?.bytes).toBe(
      size('/app/node_modules/glob/node_modules/minimatch') + 700,
    )
  })

  it('3: package.json outside node_modules is an app manifest with its dependency names', () => {
    expect(manifests).toEqual([
      {
        path: '/app/package.json',
        layer: 3,
        dependencies: ['glob', 'ms', 'typescript'],
        devDependencies: ['@types/node', 'jest', 'typescript'],
      },
    ])
  })

  it('4: dev when the manifest beside node_modules lists it only under devDependencies', () => {
    const dev = Object.fromEntries(packages.map((p) => [p.path, p.dev]))
    expect(dev).toEqual({
      '/app/node_modules/@types/node': true,
      '/app/node_modules/jest': true,
      '/app/node_modules/ms': false,
      '/app/node_modules/glob': false,
      '/app/node_modules/typescript': false, // in both: production
      // direct names only: a nested copy, or a global install with no manifest, is not judged
      '/app/node_modules/glob/node_modules/minimatch': undefined,
      '/usr/local/lib/node_modules/npm': undefined,
    })
  })

  it('5: malformed, truncated, huge or versionless package.json files are skipped', () => {
    const at = (path: string, text: string, truncated = false): DatabaseText => ({
      path,
      text,
      truncated,
      layer: 1,
    })
    const texts = [
      at('/a/node_modules/bad/package.json', '{"name": "bad", "version": '),
      at('/a/node_modules/cut/package.json', '{"name":"cut","version":"1.0.0"}', true),
      at('/a/node_modules/arr/package.json', '["name"]'),
      at('/a/node_modules/null/package.json', 'null'),
      at('/a/node_modules/nover/package.json', '{"name":"nover"}'),
      at(
        '/a/node_modules/huge/package.json',
        `{"name":"huge","version":"1.0.0","x":"${'x'.repeat(2 ** 21)}"}`,
      ),
      at('/a/node_modules/noname/package.json', '\uFEFF{"version":"0.1.0"}'),
      at('/a/node_modules/@scope/package.json', '{"name":"not-a-package","version":"1.0.0"}'),
      at('/a/package.json', '{"dependencies": ["x"], "devDependencies": null}'),
    ]
    const result = readPackages(texts, new Map())
    expect(result.packages.map((p) => [p.name, p.version, p.bytes])).toEqual([
      ['noname', '0.1.0', 0],
    ])
    expect(result.manifests).toEqual([
      { path: '/a/package.json', layer: 1, dependencies: [], devDependencies: [] },
    ])
  })

  it('6: the layer reader keeps package roots and app manifests, not package.json deeper inside', () => {
    expect(isPackageDatabase('/app/package.json')).toBe(true)
    expect(isPackageDatabase('/app/node_modules/ms/package.json')).toBe(true)
    expect(isPackageDatabase('/app/node_modules/@types/node/package.json')).toBe(true)
    expect(isPackageDatabase('/app/node_modules/.pnpm/a@1.0.0/node_modules/a/package.json')).toBe(
      true,
    )
    expect(isPackageDatabase('/app/node_modules/glob/dist/esm/package.json')).toBe(false)
    expect(isPackageDatabase('/app/node_modules/@types/package.json')).toBe(false)
    expect(isPackageDatabase('/app/package.json.bak')).toBe(false)
  })
})
