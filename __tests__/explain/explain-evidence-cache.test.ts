import { describe, expect, it } from '@jest/globals'
import type { Finding } from '../../src/explain/explain.js'
import { plainText, wordFinding } from '../../src/format/finding-words.js'
import { renderFindingsMarkdown, renderFindingsText } from '../../src/render/findings.js'
import { APT, BASE_VIEW, byKey, explainWith, run, type F } from './evidence-fixtures.js'

const UPDATE = run('apt-get update && apt-get install -y jq')
const text = (f: Finding | undefined) => {
  if (!f) return { detail: '', fix: '' }
  const w = wordFinding(f)
  return { detail: plainText(w.detail), fix: plainText(w.fix) }
}

/** 25 list files of distinct sizes in layer 3: more than the 20 a finding lists */
const LISTS: F[] = Array.from({ length: 25 }, (_, i) => [
  `/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_part${i}_Packages`,
  1_000_000 + i * 1_001,
  3,
])
const LISTS_TOTAL = LISTS.reduce((t, [, b]) => t + b, 0)

describe('package-cache-left, from the files', () => {
  it('1: apt lists left by the PR: exact bytes over all 25 paths, top 20 listed largest first', () => {
    const { findings } = explainWith({
      layers: [UPDATE],
      head: {
        view: [
          ...LISTS,
          ['/var/lib/apt/lists/lock', 0, 3],
          ['/var/lib/apt/lists/partial/x_Packages', 7_000_000, 3],
          ['/var/cache/apt/archives/jq_1.6_amd64.deb', 70_000, 3],
          ['/usr/bin/jq', 300_000, 3],
        ],
      },
    })
    const [finding] = byKey(findings, 'package-cache-left')
    expect(finding.bytes).toBe(LISTS_TOTAL + 70_000)
    expect(finding.hint).toBeUndefined()
    expect(finding.inBase).toBeUndefined()
    expect(finding.layers).toEqual([3])
    expect(finding.paths).toHaveLength(20)
    expect(finding.paths?.[0]).toEqual({ path: LISTS[24][0], bytes: LISTS[24][1], layer: 3 })
    const sizes = finding.paths?.map((p) => p.bytes) ?? []
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a))
    expect(finding.paths?.map((p) => p.path)).not.toContain('/var/lib/apt/lists/lock')
    expect(finding.evidence).toMatchObject({
      kind: 'cache-files',
      manager: 'apt',
      files: {
        count: 26,
        bytes: LISTS_TOTAL + 70_000,
        layers: [
          {
            layer: 3,
            instruction: UPDATE[1].replace(' # buildkit', '').replace('/bin/sh -c ', ''),
            count: 26,
          },
        ],
      },
    })
    const { detail, fix } = text(finding)
    expect(detail).toContain('25.4 MB in 26 files')
    expect(detail).toContain('and 21 more')
    expect(detail).toMatch(
      /Written by layer 3 \(`RUN .*apt-get update && apt-get install -y jq`, 25.4 MB\)/,
    )
    expect(fix).toContain('rm -rf /var/lib/apt/lists/*')
  })

  it('2: clean version: the same RUN, no lists in the image: no finding, not even a hint', () => {
    const { findings } = explainWith({
      layers: [UPDATE],
      head: {
        view: [
          ['/usr/bin/jq', 300_000, 3],
          ['/var/lib/apt/lists/lock', 0, 3],
        ],
      },
    })
    expect(byKey(findings, 'package-cache-left')).toEqual([])
    expect(findings.filter((f) => f.hint)).toEqual([])
  })

  it('3: without the file analysis the instruction rule runs, as a hint', () => {
    const { findings } = explainWith({ layers: [UPDATE], files: false })
    const [finding] = byKey(findings, 'package-cache-left')
    expect(finding).toMatchObject({ hint: true, layers: [3], bytes: 20_000_000 })
    expect(finding.paths).toBeUndefined()
    expect(wordFinding(finding).labels).toEqual(['hint'])
    expect(renderFindingsMarkdown([finding])).toContain(
      '**Package manager cache left in the layer** _(hint)_',
    )
    expect(renderFindingsText([finding])[1]).toContain('[hint]')
    expect(text(finding).detail).toContain(
      'A hint, from the Dockerfile’s steps rather than the image’s files.',
    )
  })

  it.each([
    [1, 'pip in any home', '/home/app/.cache/pip/http/a/b/c', 'pip', 'pip install --no-cache-dir'],
    [2, 'pip of root', '/root/.cache/pip/wheels/x.whl', 'pip', 'pip install --no-cache-dir'],
    [3, 'npm', '/root/.npm/_cacache/content-v2/sha512/aa/bb', 'npm', 'npm cache clean --force'],
    [
      4,
      'yarn (image default)',
      '/usr/local/share/.cache/yarn/v6/npm-x/index.js',
      'yarn',
      'yarn cache clean',
    ],
    [5, 'yarn in a home', '/home/node/.cache/yarn/v6/x', 'yarn', 'yarn cache clean'],
    [6, 'pnpm store', '/root/.local/share/pnpm/store/v3/files/00/x', 'pnpm', 'pnpm store prune'],
    [7, 'go build cache', '/root/.cache/go-build/ab/abcdef-d', 'go', '--mount=type=cache'],
    [8, 'go module cache', '/go/pkg/mod/cache/download/x/@v/v1.zip', 'go', '--mount=type=cache'],
    [9, 'gem (bundle)', '/usr/local/bundle/cache/rack-3.0.8.gem', 'gem', 'rm -rf ~/.gem'],
    [10, 'gem (home)', '/root/.gem/specs/rubygems.org%443/x', 'gem', 'rm -rf ~/.gem'],
    [11, 'cargo', '/usr/local/cargo/registry/cache/index/x.crate', 'cargo', '--mount=type=cache'],
    [12, 'cargo in a home', '/root/.cargo/registry/src/x/lib.rs', 'cargo', '--mount=type=cache'],
    [13, 'apk cache', '/var/cache/apk/APKINDEX.12345678.tar.gz', 'apk', 'apk add --no-cache'],
    [
      14,
      'apt archives',
      '/var/cache/apt/archives/curl_8.5_amd64.deb',
      'apt',
      'rm -rf /var/lib/apt/lists/*',
    ],
  ])('4.%i: %s', (_n, _name, path, manager, idiom) => {
    const { findings } = explainWith({
      layers: [run('make')],
      head: { view: [[path, 123_457, 3]] },
    })
    const [finding] = byKey(findings, 'package-cache-left')
    expect(finding).toMatchObject({ bytes: 123_457, evidence: { kind: 'cache-files', manager } })
    expect(text(finding).fix).toContain(idiom)
  })

  it.each([
    [1, 'apt lock', '/var/lib/apt/lists/lock'],
    [2, 'apt partial downloads', '/var/lib/apt/lists/partial/x'],
    [3, 'extracted Go modules (not the cache)', '/go/pkg/mod/github.com/x/y@v1/y.go'],
    [4, 'pip itself', '/usr/lib/python3/dist-packages/pip/__init__.py'],
    [5, 'an app file named cache', '/app/cache/pip/x'],
  ])('5.%i: not a cache: %s', (_n, _name, path) => {
    const { findings } = explainWith({
      layers: [run('make')],
      head: { view: [[path, 5_000_000, 3]] },
    })
    expect(byKey(findings, 'package-cache-left')).toEqual([])
  })

  describe('already in the base image', () => {
    const BASE_LISTS: F[] = [['/var/lib/apt/lists/a_Packages', 9_000_000, 2]]
    it('6: the base has the lists; the PR adds more: inBase, only the PR layers’ bytes count', () => {
      const { findings } = explainWith({
        layers: [UPDATE],
        base: { view: [...BASE_VIEW, ...BASE_LISTS] },
        head: { view: [...BASE_LISTS, ['/var/lib/apt/lists/b_Packages', 4_000_000, 3]] },
      })
      const [finding] = byKey(findings, 'package-cache-left')
      expect(finding).toMatchObject({ inBase: true, bytes: 4_000_000, layers: [2, 3] })
      expect(finding.evidence).toMatchObject({ files: { bytes: 13_000_000, count: 2 } })
      expect(wordFinding(finding).labels).toEqual(['already in the base image'])
      expect(text(finding).detail).toContain('this PR’s own layers wrote 4.00 MB of it')
      expect(renderFindingsMarkdown([finding])).toContain(
        '**Package manager cache left in the image** _(already in the base image)_ (layers 2 and 3, 4.00 MB from this PR)',
      )
    })
    it('7: only the shared layer has them: inBase, 0 bytes against the PR', () => {
      const { findings } = explainWith({
        layers: [run('make')],
        base: { view: [...BASE_VIEW, ...BASE_LISTS] },
        head: { view: [...BASE_LISTS, ['/app/bin', 5_000_000, 3]] },
      })
      expect(byKey(findings, 'package-cache-left')).toMatchObject([
        { inBase: true, bytes: 0, layers: [2] },
      ])
    })
    it('8: the base image had none: not inBase', () => {
      const { findings } = explainWith({
        layers: [UPDATE],
        head: { view: [['/var/lib/apt/lists/b_Packages', 4_000_000, 3]] },
      })
      expect(byKey(findings, 'package-cache-left')[0].inBase).toBeUndefined()
    })
  })

  it('9: the apt layer of the base is untouched (APT shared): its instruction is not blamed', () => {
    const { findings } = explainWith({
      layers: [run('make')],
      head: { view: [['/app/x', 1e6, 3]] },
    })
    expect(findings.map((f) => f.key)).toEqual([])
    expect(APT[1]).toContain('apt-get update')
  })
})
