import { describe, expect, it } from '@jest/globals'
import { compareImages } from '../../src/compare/compare.js'
import { evaluateBudget } from '../../src/budget/rules.js'
import { worstVerdict } from '../../src/model/verdict.js'
import { imagesOutput, renderAggregate, type ImageReport } from '../../src/render/aggregate.js'
import { COMMENT_MAX_CHARS, renderComment } from '../../src/render/comment.js'
import type { Report } from '../../src/report/report.js'
import { image } from '../support/images.js'

/** A report of `layers` changed layers with long steps, over budget when `fail` */
function report(layers: number, fail = false): Report {
  const step = (i: number) => `RUN /bin/sh -c echo ${'x'.repeat(300)} ${i}`
  const base = image('app:main', [['a', 'ADD rootfs', 1_000_000]])
  const head = image('app:pr', [
    ['a', 'ADD rootfs', 1_000_000],
    ...Array.from({ length: layers }, (_, i): [string, string, number] => [
      `b${i}`,
      step(i),
      1000 + i,
    ]),
  ])
  const comparison = compareImages(base, head, { basis: 'uncompressed' })
  const rules = evaluateBudget({ maxSizeBytes: fail ? 1 : 1e9 }, comparison)
  const verdict = worstVerdict(rules.map((r) => r.status))
  return { entries: [{ comparison, rules, verdict, findings: [] }], verdict }
}

const images = (n: number, layers: number): ImageReport[] =>
  Array.from({ length: n }, (_, i) => ({ key: `svc-${i}`, report: report(layers, i === n - 1) }))

describe('renderAggregate', () => {
  it('puts the overview first, then each image collapsed with its usual section', () => {
    const all = images(3, 2)
    const body = renderAggregate(all)
    expect(body.startsWith('### ❌ Image size budget exceeded: 3 images')).toBe(true)
    expect(body.indexOf('| Result')).toBeLessThan(body.indexOf('<details>'))
    expect(body).toContain(renderComment(all[0].report, { maxChars: COMMENT_MAX_CHARS }))
    expect(body.match(/<details><summary>(✅ pass|❌ fail) svc-\d<\/summary>/g)).toHaveLength(3)
  })

  it('shrinks the sections, never the overview, to stay under the comment limit', () => {
    const all = images(12, 120)
    expect(all.reduce((n, i) => n + renderComment(i.report).length, 0)).toBeGreaterThan(
      COMMENT_MAX_CHARS,
    )
    const body = renderAggregate(all)
    expect(body.length).toBeLessThanOrEqual(COMMENT_MAX_CHARS)
    for (let i = 0; i < 12; i++) expect(body).toMatch(new RegExp(`\\| \`svc-${i}\` `))
    expect(body.match(/<details><summary>/g)?.length).toBeGreaterThanOrEqual(12)
  })

  it('escapes hostile keys (file names from an artifact)', () => {
    const body = renderAggregate([{ key: '<img src=x> @octocat', report: report(1) }])
    expect(body.replace(/`[^`\n]*`/g, '')).not.toMatch(/<img|@octocat/)
  })

  it('gives the images output per key, with null for unknown figures; __proto__ is a plain key', () => {
    const out = imagesOutput([{ key: '__proto__', report: report(1) }])
    expect(Object.keys(out)).toEqual(['__proto__'])
    expect(JSON.parse(JSON.stringify(out))).toEqual({
      ['__proto__']: expect.objectContaining({
        verdict: 'pass',
        pullBytes: null,
        baseBytes: 1_000_000,
      }),
    })
  })
})

describe('renderAggregate: an image not measured (the images input)', () => {
  const notMeasured = (error: string): ImageReport => ({
    key: 'gone',
    report: { entries: [], verdict: 'fail' },
    error,
  })

  it('has a failing row that says so, its section says why, the verdict fails', () => {
    const body = renderAggregate([
      ...images(1, 1),
      notMeasured('The PR image app:gone does not exist'),
    ])
    expect(body.startsWith('### ❌ Image size budget exceeded: 2 images')).toBe(true)
    expect(body).toMatch(/\| ❌ fail +\| `gone` +\| — +\| +— \| +— \| +not measured \| +— \|/)
    expect(body).toContain(
      '<details><summary>❌ fail gone</summary>\n\nNot measured: The PR image app:gone does not exist\n</details>',
    )
    expect(imagesOutput([notMeasured('why')])).toEqual({
      gone: {
        verdict: 'fail',
        error: 'why',
        baseBytes: null,
        headBytes: null,
        deltaBytes: null,
        deltaPercent: null,
        pullBytes: null,
      },
    })
  })

  it('shows the end of a failed build log in a code block nothing can close', () => {
    const body = renderAggregate([
      { ...notMeasured('Building failed'), errorLog: ['Step 2/2 : RUN x', '``` <b>@octocat</b>'] },
    ])
    expect(body).toContain(
      'Build log, last lines:\n\n````text\nStep 2/2 : RUN x\n``` <b>@octocat</b>\n````',
    )
  })

  it('escapes the error (a build log line or a reference from the PR)', () => {
    const body = renderAggregate([notMeasured('<img src=x onerror=alert(1)> @octocat\n# heading')])
    expect(body).not.toMatch(/<img|@octocat|\n# heading/)
    expect(body).toContain('&lt;img')
  })
})
