import { beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type Docker from 'dockerode'
import { runGate } from '../src/gate.js'
import type { Finding } from '../src/model/finding.js'
import { parseOptions } from '../src/options.js'
import { renderComment } from '../src/render/comment.js'
import { renderTerminal } from '../src/render/terminal.js'
import { toJsonReport } from '../src/report/json-report.js'
import type { Report } from '../src/report/report.js'
import { silentLogger } from '../src/util/log.js'
import { buildTar } from './sources/archive/fixtures.js'
import { dockerFor, ENGINES, requireEngine } from './support/engines.js'
import {
  committedBytes,
  countSave,
  FILES_FIXTURES,
  FIXTURES_DIR,
  prepareFixture,
  type BuiltFixture,
  type IndependentCount,
} from './support/fixture-images.js'

/**
 * Issue 9, "How it is checked": every fixture of __tests__/fixtures/files (each cause, its clean
 * version, and the file-system mechanics) on both engines, from the registry (gzip and zstd
 * layers), from an OCI layout (zstd) and from `docker save` archives, with the gate's file
 * figures and findings checked against an independent count (support/independent-count.py).
 * The engines and the registry are required: nothing here skips.
 */
type EvidenceFinding = Finding & {
  inBase?: boolean
  hint?: boolean
  paths?: Array<{ path: string; bytes: number; layer: number }>
}

const built = new Map<string, BuiltFixture[]>()
const variant = (name: string, v: 'cause' | 'clean'): BuiltFixture => {
  const found = built.get(name)?.find((b) => b.variant === v)
  if (!found) throw new Error(`fixture ${name} (${v}) was not built`)
  return found
}

beforeAll(async () => {
  ENGINES.forEach(requireEngine)
  for (const fixture of FILES_FIXTURES) built.set(fixture.name, await prepareFixture(fixture))
}, 900_000)

const prefixBytes = (count: IndependentCount, prefixes: string[]) =>
  prefixes.reduce((sum, p) => sum + count.prefixes[p].bytes, 0)
const viewBytes = (count: IndependentCount, path: string) => count.view[path]?.[1]

describe('the independent count of the fixtures', () => {
  it.each(FILES_FIXTURES.map((f) => [f.name]))(
    '%s: the overlay2 save and the containerd save give the same figures',
    (name) => {
      for (const b of built.get(name) ?? []) {
        const { classic, containerd } = b.counts
        expect(containerd.tags).toEqual([expect.stringContaining(b.tag)])
        // Which path of a hard-linked pair the tar stores as the file is the engine's choice
        const figures = (c: IndependentCount) => ({
          ...c,
          tags: undefined,
          view: Object.entries(c.view).map(([p, [kind, _bytes, layer]]) => [
            p,
            kind === 'hardlink' ? 'file' : kind,
            layer,
          ]),
        })
        expect(figures(containerd)).toEqual(figures(classic))
      }
    },
  )

  /** Facts known from the Dockerfiles and the committed files, independent of both counters */
  const FACTS: Record<string, (cause: IndependentCount, clean?: IndependentCount) => void> = {
    'apt-cache': (cause, clean) => {
      expect(cause.prefixes['/var/lib/apt/lists'].bytes).toBe(committedBytes('apt-cache', 'lists'))
      expect(cause.prefixes['/var/cache/apt/archives'].bytes).toBe(
        committedBytes('apt-cache', 'archives'),
      )
      expect(clean?.prefixes['/var/lib/apt/lists'].count).toBe(0)
      expect(viewBytes(clean!, '/var/lib/dpkg/status')).toBe(
        committedBytes('apt-cache', 'dpkg/status'),
      )
      expect(cause.reclaimableBytes).toBe(0)
    },
    'pip-cache': (cause, clean) => {
      expect(cause.prefixes['/root/.cache/pip'].bytes).toBe(
        committedBytes('pip-cache', 'pip-cache'),
      )
      expect(clean?.prefixes['/root/.cache/pip'].count).toBe(0)
    },
    'npm-cache': (cause, clean) => {
      expect(cause.prefixes['/root/.npm'].bytes).toBe(committedBytes('npm-cache', 'npm-cache'))
      expect(clean?.prefixes['/root/.npm'].count).toBe(0)
    },
    'build-tools': (cause, clean) => {
      expect(cause.prefixes['/usr/include'].bytes).toBe(
        committedBytes('build-tools', 'toolchain/usr/include'),
      )
      expect(cause.view['/usr/bin/gcc']).toEqual(['symlink', 'x86_64-linux-gnu-gcc-12'.length, 4])
      expect(clean?.prefixes['/usr/include'].count).toBe(0)
      expect(clean?.view['/usr/local/bin/hello']?.[1]).toBe(
        committedBytes('build-tools', 'src/hello.c'),
      )
    },
    'context-leak': (cause, clean) => {
      expect(cause.prefixes['/app/.git'].bytes).toBe(committedBytes('context-leak', 'dot-git'))
      expect(cause.prefixes['/app/.github'].count).toBe(1)
      expect(clean?.prefixes['/app/.git'].count).toBe(0)
    },
    'secret-file': (cause, clean) => {
      expect(cause.view['/app/.env']?.[0]).toBe('file')
      expect(cause.view['/root/.npmrc']?.[0]).toBe('file')
      // The key is deleted in a later layer: hidden, yet its bytes still ship.
      expect(cause.view['/app/deploy/id_ed25519']).toBeUndefined()
      expect(cause.prefixes['/app/deploy'].hiddenBytes).toBe(
        committedBytes('secret-file', 'app/deploy/id_ed25519'),
      )
      expect(clean?.view['/app/.env']).toBeUndefined()
    },
    'dev-dependencies': (cause, clean) => {
      expect(cause.prefixes['/app/node_modules/mocha'].bytes).toBe(
        committedBytes('dev-dependencies', 'app/node_modules/mocha'),
      )
      expect(clean?.prefixes['/app/node_modules/mocha'].count).toBe(0)
    },
    'deleted-later': (cause, clean) => {
      expect(cause.reclaimableBytes).toBe(300_000)
      expect(cause.hiddenCount).toBe(1)
      expect(clean?.reclaimableBytes).toBe(0)
    },
    'fat-base': (cause, clean) => {
      expect(cause.prefixes['/usr/share'].bytes).toBe(1_500_000)
      expect(clean?.prefixes['/usr/share'].count).toBe(0)
      expect(cause.bytes - (clean?.bytes ?? 0)).toBe(1_500_000)
    },
    'opaque-dir': (cause) => {
      expect(cause.reclaimableBytes).toBe(200_000)
      expect(Object.keys(cause.view).filter((p) => p.startsWith('/srv/'))).toEqual([
        '/srv/data/new.txt',
      ])
    },
    'dir-delete': (cause) => {
      // 200,000 + 100,000 bytes and the symlink `obj/lib.o` (9 bytes), all under one whiteout
      expect(cause.reclaimableBytes).toBe(300_009)
      expect(cause.hiddenCount).toBe(3)
      expect(cause.prefixes['/var/tmp'].count).toBe(0)
    },
    'type-change': (cause) => {
      // file 5,000 + symlink "/etc/thing" (10) + /etc/thing/inner 3,000 + /etc/flip/y "x\n" is visible
      expect(cause.reclaimableBytes).toBe(5000 + 10 + 3000)
      expect(cause.view['/etc/thing']).toEqual(['file', 1000, 5])
      expect(cause.view['/etc/flip/y']).toEqual(['file', 2, 4])
    },
    links: (cause) => {
      expect(cause.view['/data/c']).toEqual(['symlink', '/data/somewhere-else'.length, 4])
      expect(cause.view['/data/d']?.[0]).toBe('hardlink')
      // The old symlink target ("/data/a", 7 bytes) is hidden; so is a's first copy unless a
      // hard link of the first layer (/data/b) still reaches it
      const firstCopyVisible = cause.view['/data/b']?.[2] === 3
      expect(cause.reclaimableBytes).toBe(firstCopyVisible ? 7 : 50_007)
      expect(cause.prefixes['/data'].bytes).toBe(
        (firstCopyVisible ? 100_000 : 50_000) + '/data/somewhere-else'.length,
      )
    },
    overwrite: (cause) => {
      expect(cause.reclaimableBytes).toBe(80_000)
      expect(cause.view['/app/config.bin']).toEqual(['file', 20_000, 4])
    },
  }

  it.each(FILES_FIXTURES.map((f) => [f.name]))('%s: the count matches the known facts', (name) => {
    const fixture = FILES_FIXTURES.find((f) => f.name === name)!
    const cause = variant(name, 'cause').counts.classic
    const clean = fixture.clean ? variant(name, 'clean').counts.classic : undefined
    FACTS[name](cause, clean)
    // The busybox base: one binary and its symlinks, in every fixture
    expect(cause.view['/bin/busybox']?.[0]).toBe('file')
  })
})

describe('the independent counter on hand-made layers', () => {
  it('applies whiteouts, opaque markers and type changes in any tar order, and counts inodes once', async () => {
    const file = (name: string, n: number) => ({ name, data: Buffer.alloc(n, 1) })
    const dir = (name: string) => ({ name, type: 'directory' as const })
    const layers = [
      [
        dir('a'),
        file('a/x', 100),
        { name: 'a/y', type: 'symlink' as const, linkname: 'x' },
        { name: 'a/h', type: 'link' as const, linkname: 'a/x' },
        dir('b'),
        file('b/f', 50),
        file('c', 30),
        dir('d'),
        file('d/e', 20),
      ],
      [
        // a whiteout of a hard-linked path: its inode stays visible through a/h
        file('a/.wh.x', 0),
        // the new file comes before the opaque marker: the marker hides only lower layers
        file('b/g', 5),
        file('b/.wh..wh..opq', 0),
        dir('c'),
        file('c/z', 7),
        file('.wh.d', 0),
      ],
      [file('a/y', 3), file('c', 2)],
    ]
    const tars = await Promise.all(layers.map((entries) => buildTar(entries)))
    const archive = await buildTar([
      ...tars.map((data, i) => ({ name: `l${i}/layer.tar`, data })),
      {
        name: 'manifest.json',
        data: JSON.stringify([
          { RepoTags: ['t:1'], Layers: tars.map((_, i) => `l${i}/layer.tar`) },
        ]),
      },
    ])
    const path = join(mkdtempSync(join(tmpdir(), 'isg-counter-')), 'save.tar')
    writeFileSync(path, archive)
    const [count] = countSave(path, ['/b', '/c'])
    expect(Object.keys(count.view)).toEqual(['/a/h', '/a/y', '/b/g', '/c'])
    expect([count.count, count.bytes]).toEqual([4, 100 + 3 + 5 + 2])
    // b/f (opaque), c (file -> directory), d/e (directory whiteout), a/y's symlink, c/z (directory -> file)
    expect([count.reclaimableBytes, count.hiddenCount]).toEqual([50 + 30 + 20 + 1 + 7, 5])
    expect(count.prefixes['/c']).toEqual({ count: 1, bytes: 2, hiddenBytes: 37 })
    expect(count.view['/c']).toEqual(['file', 2, 3])
  })
})

/** Every place a fixture can be read from, as the gate is given it */
const SOURCES: Array<[string, (b: BuiltFixture) => string, number, keyof BuiltFixture['counts']]> =
  [
    ['overlay2 engine', (b) => `docker-daemon:${b.tag}`, 0, 'classic'],
    ['containerd engine', (b) => `docker-daemon:${b.tag}`, 1, 'containerd'],
    ['registry, gzip layers', (b) => `docker://${b.registryRef}`, 0, 'classic'],
    ['registry, zstd layers', (b) => `docker://${b.zstdRef}`, 0, 'classic'],
    ['OCI layout, zstd layers', (b) => `oci:${b.zstdDir}`, 0, 'classic'],
    ['docker-archive, uncompressed layers', (b) => `docker-archive:${b.archive}`, 0, 'classic'],
    [
      'containerd docker save, gzip layers',
      (b) => `docker-archive:${b.ociArchive}`,
      0,
      'containerd',
    ],
  ]

const dockers: Docker[] = ENGINES.map(dockerFor)

async function gate(head: string, base: string | undefined, engine: number): Promise<Report> {
  const options = parseOptions({ 'head-image': head, ...(base ? { 'base-image': base } : {}) })
  return runGate({ ...options, fileAnalysis: true }, { log: silentLogger, docker: dockers[engine] })
}

/** What the secret fixture's files hold: none of it may appear in any output */
function secretTexts(): string[] {
  const read = (p: string) => readFileSync(join(FIXTURES_DIR, 'secret-file', p), 'utf8')
  const env = read('app/.env')
    .split('\n')
    .filter((l) => l.includes('='))
    .map((l) => l.slice(l.indexOf('=') + 1))
  const key = read('app/deploy/id_ed25519')
    .split('\n')
    .filter((l) => l && !l.startsWith('-----'))
  const npm = read('npmrc').trim().split('=')[1]
  return [...env, ...key, npm, 'isg-fake-token', 'isgFAKEtoken']
}

// These need the file analysis merged (sources' listings, analyseFiles, findings with paths).
describe.each(SOURCES)(
  'the gate reading the fixtures from the %s',
  (_label, ref, engine, store) => {
    it.each(FILES_FIXTURES.map((f) => [f.name]))(
      '%s: file figures equal the independent count; the finding carries its bytes',
      async (name) => {
        const fixture = FILES_FIXTURES.find((f) => f.name === name)!
        const cause = variant(name, 'cause')
        const clean = fixture.clean ? variant(name, 'clean') : undefined
        const report = await gate(ref(cause), clean && ref(clean), engine)
        const [entry] = report.entries
        const count = cause.counts[store]
        expect(entry.files).toBeDefined()
        const files = entry.files!
        expect([files.head.count, files.head.bytes, files.head.reclaimableBytes]).toEqual([
          count.count,
          count.bytes,
          count.reclaimableBytes,
        ])
        if (clean) {
          const base = clean.counts[store]
          expect([files.base?.count, files.base?.bytes, files.base?.reclaimableBytes]).toEqual([
            base.count,
            base.bytes,
            base.reclaimableBytes,
          ])
        }
        // Each visible path: its kind, bytes and the layer that wrote it. An inode's bytes sit on
        // one of its paths (the counter puts them on the regular file; the gate moves them to a
        // surviving hard link when that file is hidden), so hard links compare by kind and layer.
        const view = Object.fromEntries(
          [...files.head.view.values()].map((f) => [
            f.path,
            [f.kind, f.kind === 'hardlink' ? 0 : f.bytes, f.layer],
          ]),
        )
        expect(view).toEqual(count.view)
        for (const big of files.head.largest.filter((f) => f.kind !== 'hardlink')) {
          expect([big.bytes, big.layer]).toEqual([count.view[big.path][1], count.view[big.path][2]])
        }
        expect(files.head.hidden.reduce((sum, h) => sum + h.bytes, 0)).toBe(count.reclaimableBytes)
        // The clean version shares only the busybox layers, which hide nothing: all waste is the PR's
        if (clean) expect(files.reclaimableAddedBytes).toBe(count.reclaimableBytes)
        if (fixture.finding) checkFinding(name, entry.findings as EvidenceFinding[], count, report)
      },
    )

    it.each(FILES_FIXTURES.map((f) => [f.name]))(
      "%s: the PR image's content total is the counter's visible plus hidden bytes",
      async (name) => {
        const cause = variant(name, 'cause')
        const report = await gate(ref(cause), undefined, engine)
        const count = cause.counts[store]
        const { comparison } = report.entries[0]
        expect(comparison.head.layers).toHaveLength(count.layers)
        expect(comparison.totals.headBytes).toBe(count.bytes + count.reclaimableBytes)
      },
    )

    it('secret-file: a secret already in the base image is still reported, marked as such', async () => {
      const cause = ref(variant('secret-file', 'cause'))
      const report = await gate(cause, cause, engine)
      const found = (report.entries[0].findings as EvidenceFinding[]).filter(
        (f) => f.key === 'secret-file',
      )
      expect(found).not.toEqual([])
      expect(found.every((f) => f.inBase === true)).toBe(true)
    })

    it.each(FILES_FIXTURES.filter((f) => f.clean && f.finding).map((f) => [f.name, f.finding!]))(
      '%s: the clean version has no %s finding',
      async (name, key) => {
        const report = await gate(ref(variant(name, 'clean')), undefined, engine)
        const [entry] = report.entries
        expect(entry.files).toBeDefined()
        expect(entry.findings.filter((f) => f.key === key)).toEqual([])
      },
    )
  },
)

function checkFinding(
  name: string,
  findings: EvidenceFinding[],
  count: IndependentCount,
  report: Report,
): void {
  const fixture = FILES_FIXTURES.find((f) => f.name === name)!
  // A rule may give one finding per kind (per cache manager, per leak kind): they add up
  const found = findings.filter((f) => f.key === fixture.finding)
  expect(found).not.toEqual([])
  for (const f of found) expect([f.inBase ?? false, f.hint ?? false]).toEqual([false, false])
  const bytes = found.reduce((sum, f) => sum + (f.bytes ?? 0), 0)
  const paths = found.flatMap((f) => [
    ...(f.paths ?? []).map((p) => p.path),
    ...((f.evidence as { secrets?: Array<{ path: string }> }).secrets ?? []).map((p) => p.path),
  ])
  const exact = prefixBytes(count, fixture.prefixes)
  switch (fixture.finding) {
    case 'package-cache-left':
    case 'dev-dependencies':
    case 'build-context-leak':
    case 'fat-base-image':
      expect(bytes).toBe(exact)
      break
    case 'deleted-in-later-layer':
      expect(bytes).toBe(count.reclaimableBytes)
      expect(paths).toEqual(['/opt/build/bundle.tar'])
      break
    case 'build-tools-in-final-image':
      // Headers, the compiler's own files and the static library at least; never more than the image
      expect(bytes).toBeGreaterThanOrEqual(exact)
      expect(bytes).toBeLessThanOrEqual(count.bytes)
      expect(paths).toEqual(
        expect.arrayContaining(['/usr/include/stdio.h', '/usr/lib/x86_64-linux-gnu/libfoo.a']),
      )
      break
    case 'secret-file': {
      expect(paths).toEqual(
        expect.arrayContaining(['/app/.env', '/root/.npmrc', '/app/deploy/id_ed25519']),
      )
      const outputs = [
        renderComment(report),
        renderTerminal(report),
        JSON.stringify(toJsonReport(report, 'test')),
        JSON.stringify(report.entries[0].findings),
        JSON.stringify(report.entries[0].files?.head.secrets),
      ]
      for (const secret of secretTexts()) {
        for (const text of outputs) expect(text).not.toContain(secret)
      }
      expect(renderComment(report)).toContain('/app/.env')
      break
    }
  }
  for (const p of found.flatMap((f) => f.paths ?? [])) {
    if (count.view[p.path]) expect(p.bytes).toBe(count.view[p.path][1])
  }
}
