import { describe, expect, it } from '@jest/globals'
import { COMMENT_MAX_CHARS, renderComment, renderJobSummary } from '../../src/render/comment.js'
import { renderTerminal } from '../../src/render/terminal.js'
import type { FileComparison } from '../../src/model/files.js'
import {
  fileComparison,
  imageFiles,
  packageChange,
  pathChange,
  reportWith,
} from './file-fixtures.js'

const HINT = 'The full report is in the job summary of this run.'

/** Rows of the first markdown table after `heading` */
function tableRows(body: string, heading: string): string[] {
  const after = body.slice(body.indexOf(heading))
  const lines = after.split('\n')
  const start = lines.findIndex((l) => l.startsWith('|'))
  const end = lines.findIndex((l, i) => i > start && !l.startsWith('|'))
  return lines.slice(start + 2, end) // without the header and the alignment row
}

function many(paths: number, packages: number): FileComparison {
  return fileComparison({
    changes: Array.from({ length: paths }, (_, i) =>
      pathChange(`/srv/data/dir-${i}/${'long-name-'.repeat(8)}`, 1000, 2000 + i, i % 2 === 0),
    ),
    packages: Array.from({ length: packages }, (_, i) =>
      packageChange(`lib-${'x'.repeat(40)}-${i}`, null, [`${i}.0.0-${'r'.repeat(30)}`, 1000 + i]),
    ),
  })
}

describe('file sections in the comment', () => {
  it('renders the figures line, What grew and Packages, each with its basis', () => {
    const body = renderComment(reportWith(fileComparison()), { fullReportHint: HINT })
    expect(body).toMatchSnapshot()
    expect(body).toContain(
      '**Files** (content bytes, uncompressed): a container sees **405 files, 1.19 MB** (base: 400 files, 1.10 MB; +5 files, +88.6 kB).',
    )
    expect(body).toContain('**32.0 kB**, **+12.0 kB** of it from this PR')
    expect(body).toContain(
      'dive: efficiency 98.44%, wasted 32.0 kB, wasted-user 48.35% of 66.2 kB in the layers above the first.',
    )
    expect(body).toContain('**What grew** (content bytes, uncompressed; 4 changed paths)')
    // Largest change first, whatever the sign
    const rows = tableRows(body, '**What grew**')
    expect(rows[0]).toMatch(
      /^\| \/usr\/lib\/python3\/ +\| added \(1,200 files\) +\| +— \| +52\.0 MB \| \+52\.0 MB \|$/,
    )
    expect(rows[1]).toMatch(/pkgcache\.bin .*\| shrunk .*\| -1\.00 MB \|$/)
    expect(body).toContain(
      '**Packages** (1 added, 1 removed, 2 upgraded; sizes: installed size as the package database records it)',
    )
    const packages = tableRows(body, '**Packages**')
    expect(packages[0]).toMatch(
      /^\| python3\.11 +\| dpkg +\| added +\| — +\| 3\.11\.2-6 \(21\.0 MB\) +\| \+21\.0 MB \|$/,
    )
    expect(packages.find((r) => r.includes('tzdata'))).toMatch(/\| 2024a-0 +\| 2024b-0 +\| +— \|$/)
    // four rows: open, not collapsed
    expect(body).not.toContain('<details><summary>All')
  })

  it('counts one changed path in the singular in the terminal', () => {
    const f = fileComparison()
    const one = renderTerminal(reportWith({ ...f, changes: f.changes.slice(0, 1) }))
    expect(one).toContain('What grew (1 changed path, largest first):')
    expect(renderTerminal(reportWith(f))).toContain('What grew (4 changed paths, largest first):')
  })

  it('says nothing about files when they were not analysed', () => {
    const body = renderComment(reportWith(undefined))
    expect(body).not.toMatch(/\*\*Files\*\*|What grew|\*\*Packages\*\*|dive/)
    expect(renderTerminal(reportWith(undefined))).not.toMatch(/^Files|What grew|Packages:/m)
  })

  it('without a baseline, gives the largest directories and no change sections', () => {
    const f = fileComparison({ base: undefined, changes: [], packages: [] })
    const body = renderComment(reportWith(f, false))
    expect(body).toMatchSnapshot()
    expect(body).toContain('**Largest directories** (content bytes, uncompressed)')
    expect(body).toMatch(/\| \/bin\/ +\| +400 \| 1\.00 MB \|/)
    expect(body).not.toContain('What grew')
    expect(body).not.toContain('from this PR')
    expect(body).toContain('wasted-user 48.35%')
    const unknown = fileComparison({
      base: undefined,
      head: imageFiles({
        dive: { efficiency: 1, wastedBytes: 0, userSizeBytes: 0, wastedUserPercent: null },
      }),
    })
    expect(renderComment(reportWith(unknown, false))).toContain('wasted-user unknown of 0 B')
  })

  it('shows the top 10 in the comment, 50 in the job summary, and points to the rest', () => {
    const r = reportWith(many(120, 30))
    const body = renderComment(r, { fullReportHint: HINT })
    expect(tableRows(body, '**What grew**')).toHaveLength(10)
    expect(body).toContain(
      `_…and 110 more changed paths, each a smaller change. ${HINT} The JSON report lists every one._`,
    )
    expect(body).toContain('<details><summary>The 10 largest of 30 package changes</summary>')
    expect(body).toContain('_…and 20 more package changes.')
    const summary = renderJobSummary(r)
    expect(tableRows(summary, '**What grew**')).toHaveLength(50)
    expect(summary).toContain(
      '_…and 70 more changed paths, each a smaller change. The JSON report lists every one._',
    )
    expect(summary).toContain('<details><summary>All 30 package changes</summary>')
    expect(tableRows(summary, '<summary>All 30')).toHaveLength(30)
    // The largest change is the first row in both
    expect(tableRows(body, '**What grew**')[0]).toContain('dir-119')
    expect(tableRows(summary, '**What grew**')[0]).toContain('dir-119')
  })

  it('renders the job summary with and without files', () => {
    const summary = renderJobSummary(reportWith(many(15, 12)))
    expect(summary).toMatchSnapshot()
    expect(tableRows(summary, '**What grew**')).toHaveLength(15)
    expect(summary).not.toContain('more changed paths')
    const without = renderJobSummary(reportWith(undefined))
    expect(without).toMatchSnapshot()
    expect(without).not.toContain('**Files**')
  })

  it('stays under GitHub’s limit with 10,000 changed paths and 5,000 packages', () => {
    const r = reportWith(many(10_000, 5_000))
    const body = renderComment(r, { fullReportHint: HINT })
    expect(body.length).toBeLessThanOrEqual(COMMENT_MAX_CHARS)
    expect(body).toContain('_…and 9,990 more changed paths')
    expect(body).toContain('The 10 largest of 5,000 package changes')
    expect(body).toContain('5000 added') // the counts cover every change
    const summary = renderJobSummary(r, {
      maxChars: 1024 * 1024 - 4096,
      measure: (b) => Buffer.byteLength(b),
    })
    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(1024 * 1024 - 4096)
    expect(tableRows(summary, '**What grew**')).toHaveLength(50)
    expect(tableRows(summary, 'package changes</summary>')).toHaveLength(500)
    expect(summary).toContain('The 500 largest of 5,000 package changes')
  })

  it('drops package rows first, then layer rows, then paths, findings, and the figures last', () => {
    const r = reportWith(many(40, 40))
    const tooLong = (part: string) => (b: string) => (b.includes(part) ? Infinity : b.length)
    const noPackages = renderComment(r, { fullReportHint: HINT, measure: tooLong('| Package') })
    expect(noPackages).toContain('**Packages** (40 added;')
    expect(noPackages).toContain('| Step') // layer rows kept
    expect(tableRows(noPackages, '**What grew**')).toHaveLength(10)
    expect(noPackages).toContain(
      `_Some layers and some package changes are left out to fit. ${HINT}_`,
    )
    const noPaths = renderComment(r, { fullReportHint: HINT, measure: tooLong('| Path') })
    expect(noPaths).not.toContain('| Step')
    expect(noPaths).toContain('**Files** (content bytes')
    expect(noPaths).toContain(
      `_Some layers, some changed paths and some package changes are left out to fit. ${HINT}_`,
    )
    const noFigures = renderComment(r, { fullReportHint: HINT, measure: tooLong('**Files**') })
    expect(noFigures).toMatch(/^### ✅ Image size within budget/)
    expect(noFigures).toContain('the file figures are left out to fit.')
  })
})

describe('hostile names from the image', () => {
  const evil = [
    '/app/@octocat <img src=x onerror=alert(1)> [x](https://evil.example) `code` | #1 www.evil.example',
    '/app/\u202Egnp.exe\n## heading\u0007\u001b[31m',
  ]
  const hostile = fileComparison({
    changes: evil.map((p, i) => pathChange(p, 0, 1000 + i, i === 0, [0, 2])),
    packages: [
      packageChange('<script>alert(1)</script>', null, ['@admin https://x.example', 5]),
      packageChange('ok|pkg', ['1.0\u200B', 1], ['![img](https://x.example/a.png)', 2]),
    ],
  })

  it('escapes paths, package names and versions in the comment', () => {
    const body = renderComment(reportWith(hostile))
    expect(body).not.toMatch(/<img|<script|@octocat|@admin|\]\(https|https:\/\/|\u202E|\u200B/)
    expect(body).not.toContain('\u0007')
    expect(body).not.toContain('\u001b')
    expect(body).not.toMatch(/^## heading/m)
    expect(body).not.toMatch(/www\.evil/)
    expect(body).toContain('@&#8203;octocat')
    expect(body).toContain('&lt;img src=x onerror=alert\\(1\\)&gt;')
    expect(body).toContain('/app/&lt;U\\+202E&gt;gnp.exe \\#\\# heading')
    expect(body).toContain('\\#&#8203;1')
    for (const row of [...tableRows(body, '**What grew**'), ...tableRows(body, '**Packages**')])
      expect(row.split(/(?<!\\)\|/)).toHaveLength(row.includes('dpkg') ? 8 : 7)
    expect(body).toMatchSnapshot()
  })

  it('escapes directory names in the largest directories (no baseline)', () => {
    const head = imageFiles({
      directories: [{ path: '/srv/@team <b>x</b> | [a](http://e.example)', bytes: 10, count: 1 }],
    })
    const body = renderComment(reportWith(fileComparison({ base: undefined, head }), false))
    const [row] = tableRows(body, '**Largest directories**')
    expect(row).toContain(
      '@&#8203;team &lt;b&gt;x&lt;/b&gt; \\| \\[a\\]\\(http:&#8203;//e.example\\)/',
    )
    expect(row.split(/(?<!\\)\|/)).toHaveLength(5)
  })

  it('truncates very long names', () => {
    const long = fileComparison({
      changes: [
        pathChange(`/${'a'.repeat(5000)}/${'b'.repeat(5000)}/end.txt`, 0, 5, false, [0, 1]),
      ],
      packages: [packageChange('n'.repeat(5000), null, ['v'.repeat(5000), 1])],
    })
    const body = renderComment(reportWith(long))
    const [row] = tableRows(body, '**What grew**')
    expect(row).toContain('…')
    expect(row).toContain('end.txt') // shortened in the middle: the file name stays
    expect(row.length).toBeLessThan(300)
    expect(tableRows(body, '**Packages**')[0].length).toBeLessThan(300)
  })

  it('shows no control or invisible character in the terminal', () => {
    const text = renderTerminal(reportWith(hostile))
    const controls = Array.from(text).filter((c) => {
      const code = c.codePointAt(0) ?? 0
      return (code < 0x20 && c !== '\n') || code === 0x7f || c === '\u202E' || c === '\u200B'
    })
    expect(controls).toEqual([])
    expect(text).toContain('<U+202E>gnp.exe ## heading')
  })
})

describe('file figures in the terminal', () => {
  it('prints a compact view', () => {
    const text = renderTerminal(reportWith(many(12, 7)))
    expect(text).toMatchSnapshot()
    expect(text).toContain(
      'Files (content bytes, uncompressed): 405 files, 1.19 MB seen by a container; base 400 files, 1.10 MB',
    )
    expect(text).toContain('  reclaimable 32.0 kB, +12.0 kB from this PR; dive efficiency 98.44%')
    expect(text).toContain('What grew (12 changed paths, largest first):')
    expect(text).toContain('  …and 7 more (--format json lists all)')
    expect(text).toContain('Packages: 7 added')
    expect(text).toContain('  …and 2 more (--format json lists all)')
  })
})
