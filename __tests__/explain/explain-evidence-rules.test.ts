import { describe, expect, it } from '@jest/globals'
import type { Finding } from '../../src/explain/explain.js'
import { plainText, wordFinding } from '../../src/format/finding-words.js'
import { renderFindingsMarkdown } from '../../src/render/findings.js'
import { BASE, BASE_VIEW, byKey, copy, explainWith, pkg, run, type F } from './evidence-fixtures.js'

const text = (f: Finding | undefined) => {
  if (!f) return { detail: '', fix: '' }
  const w = wordFinding(f)
  return { detail: plainText(w.detail), fix: plainText(w.fix) }
}

describe('build-tools-in-final-image, from the files', () => {
  const TOOLS = run(
    'apt-get update && apt-get install -y build-essential && rm -rf /var/lib/apt/lists/*',
  )
  const TOOL_FILES: F[] = [
    ['/usr/bin/x86_64-linux-gnu-gcc-12', 900_000, 3],
    ['/usr/bin/g++-12', 950_000, 3],
    ['/usr/lib/gcc/x86_64-linux-gnu/12/cc1', 30_000_000, 3],
    ['/usr/libexec/gcc/x86_64-alpine-linux-musl/13/cc1plus', 31_000_000, 3],
    ['/usr/include/stdio.h', 30_000, 3],
    ['/usr/lib/x86_64-linux-gnu/libc.a', 6_000_000, 3],
  ]
  const TOOLS_TOTAL = TOOL_FILES.reduce((t, [, b]) => t + b, 0)

  it('1: compilers, headers, static libraries and the packages: exact bytes', () => {
    const { findings } = explainWith({
      layers: [TOOLS],
      head: {
        view: [
          ...TOOL_FILES,
          ['/usr/bin/make', 250_000, 3],
          ['/usr/lib/x86_64-linux-gnu/libz.so.1', 120_000, 3],
        ],
        packages: [
          pkg('dpkg', 'build-essential', 20_480, 3),
          pkg('dpkg', 'libc6-dev', 12_000_000, 3),
          pkg('dpkg', 'make', 400_000, 3),
          pkg('dpkg', 'curl', 500_000, 2),
        ],
      },
    })
    const [finding] = byKey(findings, 'build-tools-in-final-image')
    expect(finding.hint).toBeUndefined()
    expect(finding.bytes).toBe(TOOLS_TOTAL)
    expect(finding.layers).toEqual([3])
    expect(finding.evidence).toMatchObject({
      kind: 'build-tool-files',
      tools: [
        { tool: 'compiler', bytes: 62_850_000, count: 4 },
        { tool: 'static-library', bytes: 6_000_000, count: 1 },
        { tool: 'headers', bytes: 30_000, count: 1 },
      ],
    })
    if (finding.evidence.kind !== 'build-tool-files') throw new Error('kind')
    expect(finding.evidence.packages.map((p) => p.name)).toEqual([
      'libc6-dev',
      'make',
      'build-essential',
    ])
    expect(text(finding).detail).toContain('`libc6-dev` (12.0 MB)')
    expect(text(finding).fix).toContain('multi-stage build')
  })

  it('2: clean version: the same RUN, only runtime files: no finding, not even a hint', () => {
    const { findings } = explainWith({
      layers: [TOOLS],
      head: {
        view: [['/usr/lib/x86_64-linux-gnu/libcurl.so.4', 700_000, 3]],
        packages: [pkg('dpkg', 'libcurl4', 700_000, 3)],
      },
    })
    expect(byKey(findings, 'build-tools-in-final-image')).toEqual([])
    expect(findings.filter((f) => f.hint)).toEqual([])
  })

  it.each([
    [
      1,
      'a Go SDK',
      [
        ['/usr/local/go/bin/go', 15_000_000, 3],
        ['/usr/local/go/pkg/tool/linux_amd64/compile', 20_000_000, 3],
      ] as F[],
      35_000_000,
    ],
    [
      2,
      'a JDK (it has javac)',
      [
        ['/usr/lib/jvm/java-17-openjdk-amd64/bin/javac', 20_000, 3],
        ['/usr/lib/jvm/java-17-openjdk-amd64/lib/modules', 130_000_000, 3],
      ] as F[],
      130_020_000,
    ],
  ])('3.%i: %s', (_n, _name, view, bytes) => {
    const { findings } = explainWith({ layers: [run('install sdk')], head: { view } })
    expect(byKey(findings, 'build-tools-in-final-image')).toMatchObject([
      { bytes, evidence: { tools: [{ tool: 'sdk', bytes }] } },
    ])
  })

  it('4: a JRE without javac is a runtime: no finding', () => {
    const { findings } = explainWith({
      layers: [run('install jre')],
      head: { view: [['/usr/lib/jvm/java-17-openjdk-amd64/lib/modules', 130_000_000, 3]] },
    })
    expect(byKey(findings, 'build-tools-in-final-image')).toEqual([])
  })

  it('5: apk build-base alone (no tool files): a finding from the package, with its bytes', () => {
    const { findings } = explainWith({
      layers: [run('apk add build-base')],
      head: {
        view: [['/app/x', 2e6, 3]],
        packages: [pkg('apk', 'build-base', 4_096, 3), pkg('apk', 'musl', 600_000, 1)],
      },
    })
    expect(byKey(findings, 'build-tools-in-final-image')).toMatchObject([
      { bytes: 4_096, layers: [3] },
    ])
  })

  it('6: the base image had gcc too: inBase, only the PR layers’ bytes', () => {
    const gcc: F = ['/usr/bin/gcc-12', 900_000, 2]
    const { findings } = explainWith({
      layers: [run('apt-get install -y libssl-dev')],
      base: { view: [...BASE_VIEW, gcc] },
      head: { view: [gcc, ['/usr/include/openssl/ssl.h', 200_000, 3]] },
    })
    expect(byKey(findings, 'build-tools-in-final-image')).toMatchObject([
      { inBase: true, bytes: 200_000, layers: [2, 3] },
    ])
  })
})

describe('build-context-leak, from the files', () => {
  const COPY_ALL = copy('COPY . /app')
  const LEAK: F[] = [
    ['/app/.git/objects/pack/pack-1.pack', 40_000_000, 3],
    ['/app/.git/HEAD', 23, 3],
    ['/app/node_modules/left-pad/index.js', 2_000, 3],
    ['/app/node_modules/left-pad/test/index.js', 1_000, 3],
    ['/app/tests/test_app.py', 5_000, 3],
    ['/app/src/__tests__/app.test.ts', 6_000, 3],
    ['/app/docs/guide.md', 7_000, 3],
    ['/app/.github/workflows/ci.yml', 800, 3],
    ['/app/Dockerfile', 400, 3],
    ['/app/src/app.py', 9_000, 3],
  ]

  it('1: .git, node_modules, tests, docs and CI files from COPY . /app: exact bytes of each and all', () => {
    const { findings } = explainWith({
      layers: [COPY_ALL],
      head: { view: [...LEAK, ['/app/ci.Dockerfile', 100, 3]] },
    })
    const [finding, ...more] = byKey(findings, 'build-context-leak')
    expect(more).toEqual([])
    expect(finding.bytes).toBe(40_000_023 + 3_000 + 11_000 + 7_000 + 1_300)
    expect(finding.layers).toEqual([3])
    expect(finding.paths).toHaveLength(10)
    expect(finding.paths?.map((p) => p.path)).not.toContain('/app/src/app.py')
    expect(finding.evidence).toMatchObject({
      kind: 'context-files',
      leaks: [
        { leak: 'git', bytes: 40_000_023, count: 2 },
        { leak: 'tests', bytes: 11_000, count: 2 },
        { leak: 'docs', bytes: 7_000, count: 1 },
        { leak: 'node_modules', bytes: 3_000, count: 2 },
        { leak: 'ci', bytes: 1_300, count: 3 },
      ],
    })
    const { detail, fix } = text(finding)
    expect(detail).toContain(
      'Git history (40.0 MB), tests (11.0 kB), docs (7.00 kB), node_modules (3.00 kB) and CI files',
    )
    expect(detail).toContain('Copied by layer 3 (`COPY . /app`, 40.0 MB)')
    expect(fix).toContain(
      'Add `.git`, `test/`, `tests/`, `__tests__/`, `docs/`, `node_modules`, `.github/`, `.gitlab-ci.yml` and `*Dockerfile*` to',
    )
    expect(fix).toContain('to `.dockerignore`')
    expect(fix).toContain('instead of `COPY . .`')
    expect(fix).toContain('`npm ci --omit=dev`')
    // Evidence wins: the whole-context COPY guess is not made as well
    expect(byKey(findings, 'broad-copy')).toEqual([])
  })

  it('1b: the base copied .git too, the PR adds tests: two findings, only .git in the base', () => {
    const { findings } = explainWith({
      layers: [COPY_ALL],
      baseLayers: [...BASE, ['b3', 'COPY . /app # buildkit', 1_000_000]],
      base: { view: [...BASE_VIEW, ['/app/.git/HEAD', 23, 3]] },
      head: {
        view: [
          ['/app/.git/HEAD', 23, 3],
          ['/app/tests/t.py', 5_000, 3],
        ],
      },
    })
    expect(
      byKey(findings, 'build-context-leak').map((f) => [
        f.inBase,
        f.bytes,
        f.evidence.kind === 'context-files' && f.evidence.leaks.map((l) => l.leak),
      ]),
    ).toEqual([
      [undefined, 5_000, ['tests']],
      [true, 23, ['git']],
    ])
  })

  it.each([
    [1, 'a COPY --from a stage', copy('COPY --from=builder /app /app')],
    [2, 'a RUN (npm ci writes node_modules)', run('npm ci --omit=dev && npm cache clean --force')],
    [3, 'an ADD from a URL', copy('ADD https://example.com/x.tgz /app')],
  ])('2.%i: not from the build context: %s', (_n, _name, layer) => {
    const { findings } = explainWith({ layers: [layer], head: { view: LEAK } })
    expect(byKey(findings, 'build-context-leak')).toEqual([])
  })

  it('3: clean version: COPY . /app of the sources only: no finding, not even a hint', () => {
    const { findings } = explainWith({
      layers: [COPY_ALL],
      head: { view: [['/app/src/app.py', 9_000_000, 3]] },
    })
    expect(findings).toEqual([])
  })

  it('4: the base image copied .git too: inBase', () => {
    const gitBase: F = ['/app/.git/objects/pack/pack-0.pack', 39_000_000, 3]
    const { findings } = explainWith({
      layers: [COPY_ALL],
      baseLayers: [...BASE, ['b3', 'COPY . /app # buildkit', 1_000_000]],
      base: { view: [...BASE_VIEW, gitBase] },
      head: { view: [['/app/.git/objects/pack/pack-1.pack', 40_000_000, 3]] },
    })
    expect(byKey(findings, 'build-context-leak')).toMatchObject([
      { inBase: true, bytes: 40_000_000 },
    ])
  })
})

describe('dev-dependencies, from the packages', () => {
  const NPM_CI = run('npm ci && npm cache clean --force')

  it('1: npm devDependencies and Python test tools, with their bytes', () => {
    const { findings } = explainWith({
      layers: [NPM_CI],
      head: {
        view: [['/app/node_modules/jest/index.js', 1_000, 3]],
        packages: [
          pkg('npm', 'jest', 5_000_000, 3, { dev: true }),
          pkg('npm', 'eslint', 3_000_000, 3, { dev: true }),
          pkg('npm', 'express', 2_000_000, 3, { dev: false }),
          pkg('python', 'pytest', 1_500_000, 3),
          pkg('python', 'Hypothesis', 900_000, 3),
          pkg('python', 'flask', 800_000, 3),
          pkg('python', 'pytest_cov', null, 3),
        ],
      },
    })
    const [finding] = byKey(findings, 'dev-dependencies')
    expect(finding.hint).toBeUndefined()
    expect(finding.bytes).toBe(10_400_000)
    if (finding.evidence.kind !== 'dev-packages') throw new Error('kind')
    expect(finding.evidence.packages.map((p) => p.name)).toEqual([
      'jest',
      'eslint',
      'pytest',
      'Hypothesis',
      'pytest_cov',
    ])
    expect(finding.paths?.[0]).toEqual({
      path: '/app/node_modules/jest',
      bytes: 5_000_000,
      layer: 3,
    })
    expect(text(finding).fix).toContain('`npm ci --omit=dev`')
    expect(text(finding).fix).toContain('runtime requirements only')
  })

  it('2: clean version: production packages only: no finding, not even the npm ci hint', () => {
    const { findings } = explainWith({
      layers: [NPM_CI],
      head: {
        view: [['/app/x', 1e6, 3]],
        packages: [pkg('npm', 'express', 2_000_000, 3, { dev: false })],
      },
    })
    expect(byKey(findings, 'dev-dependencies')).toEqual([])
  })

  it('3: Bundler has no file evidence: its guess stays, as a hint', () => {
    const { findings } = explainWith({
      layers: [run('bundle install')],
      head: { view: [['/app/x', 1e6, 3]] },
    })
    expect(byKey(findings, 'dev-dependencies')).toMatchObject([
      { hint: true, evidence: { managers: ['bundle'] } },
    ])
    const [finding] = byKey(findings, 'dev-dependencies')
    expect(text(finding).detail).toContain('rather than the image’s files')
    expect(text(finding).detail).not.toContain('npm')
  })
})

describe('fat-base-image, with the distribution', () => {
  const bigger = (os: { id: string; versionId: string | null; prettyName: string | null }) =>
    explainWith({
      headLayers: [
        [`h1`, `ADD file:${'b'.repeat(64)} in /`, 180_000_000],
        ['a2', 'RUN /bin/sh -c apt-get update && apt-get install -y curl # buildkit', 30_000_000],
      ],
      head: { os },
    }).findings
  it('1: Debian: -slim or distroless', () => {
    const [finding] = byKey(
      bigger({ id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' }),
      'fat-base-image',
    )
    expect(finding.hint).toBeUndefined()
    expect(text(finding).fix).toContain(
      'The PR image is `Debian GNU/Linux 12 (bookworm)`: use the `-slim` variant',
    )
    expect(text(finding).fix).toContain('gcr.io/distroless/base-debian12')
  })
  it('2: Alpine: already small', () => {
    const [finding] = byKey(
      bigger({ id: 'alpine', versionId: '3.20.3', prettyName: null }),
      'fat-base-image',
    )
    expect(text(finding).fix).toContain('The PR image is `alpine`, already a small base')
  })
  it('3: without the OS, the general advice only', () => {
    const findings = explainWith({
      headLayers: [[`h1`, `ADD file:${'b'.repeat(64)} in /`, 180_000_000]],
    }).findings
    expect(text(byKey(findings, 'fat-base-image')[0]).fix).not.toContain('The PR image is')
  })
})

describe('rendering file evidence', () => {
  it('1: hostile paths stay inert in the comment', () => {
    const evil =
      '/app/.git/<img src=x onerror=alert(1)>@octocat `x` | [y](https://evil.example)\n## h'
    const { findings } = explainWith({
      layers: [copy('COPY . /app')],
      head: { view: [[evil, 2_000_000, 3]] },
    })
    const body = renderFindingsMarkdown(findings)
    expect(findings).toHaveLength(1)
    expect(body).not.toMatch(/<img|@octocat|\]\(https|^#/m)
    expect(body.split('\n')).toHaveLength(4)
  })
})

describe('hints and evidence', () => {
  const STEPS = [
    run('apt-get update && apt-get install -y build-essential'),
    copy('COPY . /app'),
    run('npm ci'),
  ]
  it('1: without the file analysis every instruction finding is a hint', () => {
    const { findings } = explainWith({ layers: STEPS, files: false })
    expect(findings.map((f) => [f.key, f.hint])).toEqual([
      ['package-cache-left', true], // apt's lists and npm's cache: layers 3 and 5
      ['build-tools-in-final-image', true],
      ['dev-dependencies', true],
      ['broad-copy', true],
    ])
  })
  it('2: with it, the same steps and clean files: no finding at all', () => {
    const { findings } = explainWith({
      layers: STEPS,
      head: { view: [['/app/server.js', 6e6, 4]] },
    })
    expect(findings).toEqual([])
  })
})

describe('order', () => {
  it('1: what the base image already had comes after the PR’s own findings, whatever its bytes', () => {
    const lists: [string, number, number] = ['/var/lib/apt/lists/a_Packages', 9_000_000, 3]
    const { findings } = explainWith({
      layers: [run('apt-get update && apt-get install -y jq'), copy('COPY . /app')],
      base: { view: [...BASE_VIEW, ['/var/lib/apt/lists/a_Packages', 8_000_000, 2]] },
      head: { view: [lists, ['/app/.git/HEAD', 23, 4]] },
    })
    expect(findings.map((f) => [f.key, f.inBase, f.bytes])).toEqual([
      ['build-context-leak', undefined, 23],
      ['package-cache-left', true, 9_000_000],
    ])
  })
})
