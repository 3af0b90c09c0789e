import { describe, expect, it } from '@jest/globals'
import { compareImages } from '../../src/compare/compare.js'
import { explainGrowth, type Finding } from '../../src/explain/explain.js'
import type { ExplainRule } from '../../src/explain/types.js'
import { plainText, wordFinding } from '../../src/format/finding-words.js'
import { renderComment } from '../../src/render/comment.js'
import { renderTerminal } from '../../src/render/terminal.js'
import { image } from '../support/images.js'

type L = [string, string, number]

let seq = 0
/** A BuildKit RUN layer with a fresh diff ID */
const run = (script: string, bytes = 20_000_000): L => [
  `e${(++seq).toString(16)}`,
  `RUN /bin/sh -c ${script} # buildkit`,
  bytes,
]
const ROOTFS: L = ['a0', `/bin/sh -c #(nop) ADD file:${'c'.repeat(64)} in / `, 80_000_000]
/** Five unchanged layers: a PR's first added step is layer 6 */
const PREFIX: L[] = [
  ROOTFS,
  ['a1', '/bin/sh -c #(nop) WORKDIR /app', 0],
  ['a2', 'COPY package.json ./ # buildkit', 1_000],
  ['a3', 'RUN /bin/sh -c echo one # buildkit', 10],
  ['a4', 'RUN /bin/sh -c echo two # buildkit', 10],
]

/** A finding's detail and fix as plain text (code between backticks), as the JSON report has them. */
function textOf(finding: Finding | undefined): { detail: string; fix: string } {
  if (!finding) return { detail: '', fix: '' }
  const words = wordFinding(finding)
  return { detail: plainText(words.detail), fix: plainText(words.fix) }
}

function explain(head: L[], base: L[] | null = PREFIX): Finding[] {
  const comparison = compareImages(
    base ? image('app:main', base) : undefined,
    image('app:pr', head),
    { basis: 'uncompressed', noBaseline: base ? undefined : 'none' },
  )
  return explainGrowth(comparison)
}

/** Runs one rule's table: the steps are added after PREFIX; `null` expects no finding. */
function ruleTable(key: string, table: Array<[number, string, L[], number[] | null]>) {
  it.each(table)('%i: %s', (_n, _name, steps, layers) => {
    const finding = explain([...PREFIX, ...steps]).find((f) => f.key === key)
    if (layers === null) expect(finding).toBeUndefined()
    else expect(finding?.layers).toEqual(layers)
  })
}

describe('fat-base-image', () => {
  const base: L[] = [
    ['b1', `ADD file:${'a'.repeat(64)} in /`, 80_000_000],
    ['b2', 'RUN /bin/sh -c groupadd app # buildkit', 1_000],
    ['b3', 'WORKDIR /app', 0],
  ]
  /** A new FROM image: its own layers (`extra`), then the app's steps (`app`) */
  const bigger = (rootfs: number, extra: L[] = [], app: L[] = []): L[] => [
    ['h1', `ADD file:${'b'.repeat(64)} in /`, rootfs],
    ...extra,
    ['h2', 'RUN /bin/sh -c groupadd app # buildkit', 1_000],
    ['b3', 'WORKDIR /app', 0],
    ...app,
  ]
  it.each([
    [
      1,
      'a bigger FROM image, with a new base layer',
      bigger(120e6, [run('set -eux; apt-get install -y libfoo', 30e6)]),
      [1, 2],
      70e6,
    ],
    [2, 'over 5% of the base, under 10 MB', bigger(86e6), [1], 6e6],
    [3, 'under 5% and under 10 MB', bigger(81e6), null, 0],
    [4, 'a smaller FROM image (switched to slim)', bigger(30e6, [], [run('make', 60e6)]), null, 0],
  ] as Array<[number, string, L[], number[] | null, number]>)(
    '%i: %s',
    (_n, _name, head, layers, bytes) => {
      const finding = explain(head, base).find((f) => f.key === 'fat-base-image')
      if (layers === null) return expect(finding).toBeUndefined()
      expect(finding).toMatchObject({ layers, bytes })
      expect(textOf(finding).fix).toMatch(/-slim.*-alpine.*distroless/)
    },
  )
  it('5: the base image’s own steps are not blamed on the app', () => {
    const head = bigger(120e6, [run('apt-get update && apt-get install -y gcc', 30e6)])
    expect(explain(head, base).map((f) => f.key)).toEqual(['fat-base-image'])
  })
  it('6: the same base image, a grown app step: no finding', () => {
    expect(
      explain([...base, run('apt-get install -y curl', 50e6)], base).map((f) => f.key),
    ).not.toContain('fat-base-image')
  })
  it('7: no baseline: no finding', () => {
    expect(explain(bigger(120e6), null).map((f) => f.key)).not.toContain('fat-base-image')
  })
})

describe('build-tools-in-final-image', () => {
  ruleTable('build-tools-in-final-image', [
    [
      1,
      'apt-get installs build-essential',
      [run('apt-get update && apt-get install -y build-essential && rm -rf /var/lib/apt/lists/*')],
      [6],
    ],
    [2, 'apk adds gcc and musl-dev', [run('apk add --no-cache gcc musl-dev')], [6]],
    [
      3,
      'a virtual package deleted in the same RUN',
      [
        run(
          'apk add --no-cache --virtual .build-deps gcc musl-dev && pip install --no-cache-dir x && apk del .build-deps',
        ),
      ],
      null,
    ],
    [
      4,
      'runtime packages only',
      [run('apt-get install -y --no-install-recommends curl ca-certificates')],
      null,
    ],
    [5, 'git', [run('apt-get install -y git')], [6]],
    [6, 'a -dev package with a version', [run('apt-get install -y libpq-dev=15.*')], [6]],
    [7, 'rustup', [run('curl https://sh.rustup.rs -sSf | sh -s -- -y')], [6]],
    [
      8,
      'a toolchain directory',
      [run('mkdir -p /usr/local/toolchain && cp cc1 /usr/local/toolchain/cc1')],
      [6],
    ],
    [
      9,
      'compilers purged in the same RUN',
      [run('apt-get install -y gcc && make && apt-get purge -y --auto-remove gcc')],
      null,
    ],
    [
      10,
      'yum groupinstall "Development Tools"',
      [run('yum groupinstall -y "Development Tools"')],
      [6],
    ],
    [11, 'npm install -g node-gyp', [run('npm install -g node-gyp')], [6]],
    [12, 'the word make, not an install', [run('echo make me a sandwich > /etc/motd')], null],
    [
      13,
      'two layers',
      [run('apt-get install -y g++'), run('echo hi', 5), run('dnf install -y golang')],
      [6, 8],
    ],
  ])
  it('14: a layer the PR did not touch is not blamed', () => {
    const tools = run('apt-get install -y build-essential')
    const findings = explain([...PREFIX, tools, run('echo app', 1e6)], [...PREFIX, tools])
    expect(findings.map((f) => f.key)).not.toContain('build-tools-in-final-image')
  })
})

describe('package-cache-left', () => {
  ruleTable('package-cache-left', [
    [
      1,
      'apt-get without removing the lists',
      [run('apt-get update && apt-get install -y curl')],
      [6],
    ],
    [
      2,
      'apt-get with rm -rf /var/lib/apt/lists/*',
      [run('apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*')],
      null,
    ],
    [3, 'apk add', [run('apk add curl')], [6]],
    [4, 'apk add --no-cache', [run('apk add --no-cache curl')], null],
    [5, 'apk --no-cache add', [run('apk --no-cache add curl')], null],
    [6, 'pip install', [run('pip install flask')], [6]],
    [7, 'pip install --no-cache-dir', [run('pip install --no-cache-dir flask')], null],
    [8, 'python3 -m pip install', [run('python3 -m pip install flask')], [6]],
    [9, 'PIP_NO_CACHE_DIR=1 pip install', [run('PIP_NO_CACHE_DIR=1 pip install flask')], null],
    [10, 'npm ci', [run('npm ci --omit=dev')], [6]],
    [
      11,
      'npm ci && npm cache clean --force',
      [run('npm ci --omit=dev && npm cache clean --force')],
      null,
    ],
    [12, 'yum install', [run('yum install -y httpd')], [6]],
    [13, 'yum install && yum clean all', [run('yum install -y httpd && yum clean all')], null],
    [14, 'dnf install && dnf clean all', [run('dnf install -y httpd && dnf clean all')], null],
    [
      15,
      'yarn install && yarn cache clean',
      [run('yarn install --frozen-lockfile && yarn cache clean')],
      null,
    ],
    [16, 'no package manager', [run('curl -o /app/x https://example.com/x')], null],
    [
      17,
      'apt-get install alone: the lists are an earlier layer’s',
      [run('apt-get install -y curl')],
      null,
    ],
    [18, 'apt-get update alone', [run('apt-get update', 40e6)], [6]],
  ])
  it('19: gives the exact idiom of each manager involved', () => {
    const finding = explain([
      ...PREFIX,
      run('apt-get update && apt-get install -y curl'),
      run('apk add jq'),
    ]).find((f) => f.key === 'package-cache-left')
    expect(textOf(finding).fix).toContain(
      '`apt-get update && apt-get install -y --no-install-recommends … && rm -rf /var/lib/apt/lists/*`',
    )
    expect(textOf(finding).fix).toContain('`apk add --no-cache …`')
    expect(textOf(finding).fix).not.toContain('pip')
  })
})

describe('deleted-in-later-layer', () => {
  const cache = run(
    'mkdir -p /var/cache/pkg && wget -O /var/cache/pkg/index.bin https://example.com/i',
    300_000,
  )
  ruleTable('deleted-in-later-layer', [
    [
      1,
      'a cache written in layer 6, deleted in layer 7',
      [cache, run('rm -rf /var/cache/pkg', 0)],
      [6, 7],
    ],
    [
      2,
      'apt-get install, then apt-get clean',
      [run('apt-get install -y curl'), run('apt-get clean', 0)],
      [6, 7],
    ],
    [
      3,
      'apt-get purge of a package installed earlier',
      [run('apt-get install -y curl vim'), run('echo x', 10), run('apt-get purge -y vim', 2_000)],
      [6, 8],
    ],
    [
      4,
      'apt-get purge of a package installed elsewhere',
      [run('apt-get install -y curl'), run('apt-get purge -y nano', 2_000)],
      null,
    ],
    [
      5,
      'deleted in the same RUN',
      [run('wget -O /tmp/x.tgz https://example.com/x && tar xzf /tmp/x.tgz && rm /tmp/x.tgz')],
      null,
    ],
    [
      6,
      'the deleting layer is not small',
      [cache, run('rm -rf /var/cache/pkg && cp -r /src /opt/app', 5e6)],
      null,
    ],
    [
      7,
      'the earlier layer is small',
      [
        run('mkdir -p /var/cache/pkg && touch /var/cache/pkg/a', 10_000),
        run('rm -rf /var/cache/pkg', 0),
      ],
      null,
    ],
    [8, 'a path nobody wrote', [cache, run('rm -rf /var/cache/other', 0)], null],
    [
      9,
      'rm of the apt lists after an install',
      [run('apt-get update && apt-get install -y curl'), run('rm -rf /var/lib/apt/lists/*', 0)],
      [6, 7],
    ],
  ])
  it('10: the earlier layer is not this PR’s: no finding', () => {
    const findings = explain(
      [...PREFIX, cache, run('rm -rf /var/cache/pkg', 0)],
      [...PREFIX, cache],
    )
    expect(findings.map((f) => f.key)).not.toContain('deleted-in-later-layer')
  })
  it('11: points at both layers and says to delete in the same RUN', () => {
    const [finding] = explain([...PREFIX, cache, run('rm -rf /var/cache/pkg', 0)])
    expect(finding).toMatchObject({ key: 'deleted-in-later-layer', layers: [6, 7], bytes: 300_000 })
    expect(textOf(finding).detail).toContain(
      'Layer 7 runs `rm -rf /var/cache/pkg`, deleting what layer 6 (+300 kB) wrote',
    )
    expect(textOf(finding).fix).toContain('`RUN … && rm -rf /var/cache/pkg`')
  })
})

describe('broad-copy', () => {
  const copy = (text: string, bytes: number): L => [`c${++seq}`, `${text} # buildkit`, bytes]
  ruleTable('broad-copy', [
    [1, 'COPY . /app, +5 MB', [copy('COPY . /app', 5e6)], [6]],
    [2, 'COPY . /app, +500 kB', [copy('COPY . /app', 500_000)], null],
    [3, 'COPY --from=builder . .', [copy('COPY --from=builder . .', 5e6)], null],
    [4, 'specific files', [copy('COPY package.json package-lock.json ./', 5e6)], null],
    [5, 'ADD --chown=app:app ./ /srv', [copy('ADD --chown=app:app ./ /srv', 3e6)], [6]],
  ])
})

describe('metadata-copy-up', () => {
  ruleTable('metadata-copy-up', [
    [1, 'chmod -R of 40 MB', [run('chmod -R 755 /app', 40e6)], [6]],
    [2, 'chown and touch', [run('chown -R app:app /srv && touch /srv/ready', 5e6)], [6]],
    [3, 'a small chmod', [run('chmod +x /entrypoint.sh', 2_000)], null],
    [4, 'chmod with real work', [run('make && chmod +x /app/bin', 40e6)], null],
    [5, 'COPY --chmod is not a RUN', [['m1', 'COPY --chmod=755 . /app # buildkit', 40e6]], null],
  ])

  it('6: says the bytes ship twice and how to set permissions as the files arrive', () => {
    const [finding] = explain([...PREFIX, run('chown -R app:app /srv', 30e6)]).filter(
      (f) => f.key === 'metadata-copy-up',
    )
    expect(textOf(finding).detail).toContain('ship twice')
    expect(textOf(finding).fix).toContain('COPY --chown=app:app --chmod=755')
    expect(finding.bytes).toBe(30e6)
  })
})

describe('dev-dependencies', () => {
  const clean = (s: string) => run(`${s} && npm cache clean --force`)
  ruleTable('dev-dependencies', [
    [1, 'npm ci', [clean('npm ci')], [6]],
    [2, 'npm ci --omit=dev', [clean('npm ci --omit=dev')], null],
    [3, 'npm install --production', [clean('npm install --production')], null],
    [4, 'NODE_ENV=production npm ci', [clean('NODE_ENV=production npm ci')], null],
    [5, 'npm install express (a named package)', [clean('npm install express')], null],
    [6, 'npm ci, then npm prune --omit=dev', [clean('npm ci && npm prune --omit=dev')], null],
    [
      7,
      'pip install -r requirements-dev.txt',
      [run('pip install --no-cache-dir -r requirements-dev.txt')],
      [6],
    ],
    [
      8,
      'pip install -r requirements.txt',
      [run('pip install --no-cache-dir -r requirements.txt')],
      null,
    ],
    [9, 'pip install -e .[dev]', [run('pip install --no-cache-dir -e .[dev]')], [6]],
    [10, 'bundle install', [run('bundle install')], [6]],
    [
      11,
      'bundle install --without development test',
      [run('bundle install --without development test')],
      null,
    ],
  ])

  it('12: an ENV line in the image (config Env) settles it: no finding', () => {
    const head = image('app:pr', [...PREFIX, clean('npm ci'), run('bundle install')], {
      env: ['PATH=/usr/bin', 'NODE_ENV=production', 'BUNDLE_WITHOUT=development:test'],
    })
    const comparison = compareImages(image('app:main', PREFIX), head, { basis: 'uncompressed' })
    expect(explainGrowth(comparison).filter((f) => f.key === 'dev-dependencies')).toEqual([])
    const npmOnly = image('app:pr', [...PREFIX, clean('npm ci'), run('bundle install')], {
      env: ['NODE_ENV=development'],
    })
    const [finding] = explainGrowth(
      compareImages(image('app:main', PREFIX), npmOnly, { basis: 'uncompressed' }),
    ).filter((f) => f.key === 'dev-dependencies')
    expect(finding.layers).toEqual([6, 7])
  })
})

describe('explainGrowth', () => {
  it('1: nothing grew: no finding', () => {
    expect(explain(PREFIX)).toEqual([])
    expect(explain(PREFIX.slice(0, 3))).toEqual([])
  })
  it('2: the image shrank overall: no finding', () => {
    const base = [...PREFIX, run('make', 90e6)]
    expect(explain([...PREFIX, run('apt-get install -y gcc', 10e6)], base)).toEqual([])
  })
  it('3: largest first, each finding on the comparison basis', () => {
    const findings = explain([
      ...PREFIX,
      run('apt-get update && apt-get install -y curl', 5e6),
      run('apt-get install -y build-essential && rm -rf /var/lib/apt/lists/*', 200e6),
    ])
    expect(findings.map((f) => [f.key, f.bytes])).toEqual([
      ['build-tools-in-final-image', 200e6],
      ['package-cache-left', 5e6],
    ])
  })
  it('4: no baseline: explains the new image', () => {
    const keys = explain([...PREFIX, run('apt-get update && apt-get install -y gcc')], null).map(
      (f) => f.key,
    )
    expect(keys).toEqual(['build-tools-in-final-image', 'package-cache-left'])
  })
  it('5: a rule that throws is left out, the others still run', () => {
    const comparison = compareImages(
      image('a', PREFIX),
      image('b', [...PREFIX, run('apt-get install -y gcc')]),
      {
        basis: 'uncompressed',
      },
    )
    const broken: ExplainRule = {
      key: 'broken',
      explain: () => {
        throw new Error('bug')
      },
    }
    const fine: ExplainRule = {
      key: 'fine',
      explain: () => [{ key: 'fine', layers: [6], evidence: { kind: 'broad-copy', hits: [] } }],
    }
    const warnings: string[] = []
    const log = { debug() {}, info() {}, warning: (m: string) => warnings.push(m) }
    expect(explainGrowth(comparison, [broken, fine], log).map((f) => f.key)).toEqual(['fine'])
    // Not swallowed: the log says which rule failed and why.
    expect(warnings).toEqual([
      'The explain rule broken failed, so its findings are left out (a bug: please report it): bug',
    ])
  })
})

describe('rendering findings', () => {
  const evil =
    '@octocat <img src=x onerror=alert(1)> [x](https://evil.example) `code` | #1\n## heading'
  const tag = '<img/src=x>@octocat**b**#1'
  const head = image('app:pr', [
    ...PREFIX,
    run('apt-get update && apt-get install -y lib**bold**[x]_i_#1-dev'),
    run(`mkdir -p /var/cache/${tag} && cp x /var/cache/${tag}/a`, 300_000),
    run(`rm -rf /var/cache/${tag}`, 0),
    ['c1', `COPY . "/app ${evil}" # buildkit`, 5e6],
  ])
  const comparison = compareImages(image('app:main', PREFIX), head, { basis: 'uncompressed' })
  const findings = explainGrowth(comparison)
  const entry = { comparison, rules: [], verdict: 'pass' as const, findings }
  const report = { entries: [entry], verdict: 'pass' as const }

  it('1: hostile instruction text stays inside code spans, on one line', () => {
    expect(findings.map((f) => f.key)).toEqual([
      'build-tools-in-final-image',
      'package-cache-left',
      'broad-copy',
      'deleted-in-later-layer',
    ])
    const body = renderComment(report)
    const section = body.slice(body.indexOf('**Why it grew**'), body.indexOf('<details>'))
    expect(section).not.toMatch(/<img|@octocat|\]\(https|^#/m)
    const outsideCode = section.replace(/`[^`\n]*`/g, '')
    expect(outsideCode).not.toMatch(/(?<!\\)\*\*(?:b|bold)/)
    expect(section).toContain('`lib**bold**[x]_i_#1-dev`')
    expect(section).toContain(
      'rm -rf /var/cache/&lt;img/src=x&gt;@&#8203;octocat\\*\\*b\\*\\*\\#&#8203;1',
    )
    expect(section).not.toContain('\n## heading')
    expect(section.split('\n').filter((l) => l.startsWith('- **'))).toHaveLength(4)
    expect(section.split('\n').filter((l) => l.startsWith('  **Fix:**'))).toHaveLength(4)
    expect(section.trim().split('\n')).toHaveLength(2 + 4 * 2)
  })

  it('2: the terminal gets them on single lines too', () => {
    const text = renderTerminal(report)
    const section = text.slice(text.indexOf('Why it grew:'))
    expect(section.split('\n').filter((l) => l.startsWith('  - '))).toHaveLength(4)
    expect(text).not.toContain('\n## heading')
  })
})
