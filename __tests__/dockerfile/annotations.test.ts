import { describe, expect, it } from '@jest/globals'
import { compareImages } from '../../src/compare/compare.js'
import { chooseAnnotations } from '../../src/dockerfile/annotations.js'
import { expectedSteps } from '../../src/dockerfile/final-stage.js'
import { mapLayersToDockerfile } from '../../src/dockerfile/map-layers.js'
import { parseDockerfile } from '../../src/dockerfile/parse-dockerfile.js'
import { explainGrowth } from '../../src/explain/explain.js'
import type { ReportEntry } from '../../src/report/report.js'
import { image } from '../support/images.js'

const ROOTFS = '/bin/sh -c #(nop) ADD file:' + 'c'.repeat(64) + ' in / '
const DOCKERFILE = [
  'FROM debian:12',
  'ENV DEBIAN_FRONTEND=noninteractive',
  'RUN apt-get update && \\',
  '    apt-get install -y build-essential',
  'COPY . /app',
  'RUN echo big > /big',
  'RUN echo small > /small',
  '',
].join('\n')

function entry(layers: Array<[string, string, number]>): ReportEntry {
  const base = image('app:main', [['a', ROOTFS, 80_000_000]])
  const head = image('app:pr', layers)
  const comparison = compareImages(base, head, { basis: 'uncompressed' })
  return { comparison, rules: [], verdict: 'pass', findings: explainGrowth(comparison) }
}

const HEAD: Array<[string, string, number]> = [
  ['a', ROOTFS, 80_000_000],
  [
    'b',
    'RUN /bin/sh -c apt-get update &&     apt-get install -y build-essential # buildkit',
    210_000_000,
  ],
  ['c', 'COPY . /app # buildkit', 1_300_000],
  ['d', 'RUN /bin/sh -c echo big > /big # buildkit', 5_000_000],
  ['e', 'RUN /bin/sh -c echo small > /small # buildkit', 500_000],
]

function annotate(report: ReportEntry, text = DOCKERFILE, max?: number) {
  const steps = expectedSteps(parseDockerfile(text)) ?? []
  const instructions = report.comparison.head.layers.map((l) => l.instruction)
  return chooseAnnotations(report, mapLayersToDockerfile(instructions, steps), { max })
}

describe('chooseAnnotations', () => {
  it('1: the largest growth first, then the findings on their lines, then growth above 1 MB', () => {
    const notes = annotate(entry(HEAD))
    expect(notes[0]).toEqual({
      startLine: 3,
      endLine: 4,
      title: 'Image grew +210 MB here',
      message:
        'Layer 2 of 5, made by this step, grew the image by +210 MB, more than any other layer.',
    })
    const lines = notes.map((n) => `${n.startLine}-${n.endLine} ${n.title}`)
    // Findings name the apt step (build tools, cache) and the broad COPY
    expect(lines).toEqual(expect.arrayContaining(['3-4 Build tools in the final image (hint)']))
    expect(lines.some((l) => l.startsWith('5-5 Whole build context copied'))).toBe(true)
    expect(lines.slice(-2)).toEqual([
      '6-6 Image grew +5.00 MB here',
      '5-5 Image grew +1.30 MB here',
    ])
    expect(lines.some((l) => l.startsWith('7-7'))).toBe(false) // 500 kB: below the threshold
    for (const n of notes) expect(n.message).not.toMatch(/\n/)
  })

  it('2b: a finding already true of the base image is not annotated', () => {
    const report = entry(HEAD)
    report.findings = report.findings.map((f) => ({ ...f, inBase: true }))
    expect(annotate(report).map((n) => n.title)).toEqual([
      'Image grew +210 MB here',
      'Image grew +5.00 MB here',
      'Image grew +1.30 MB here',
    ])
  })

  it('2: at most max annotations', () => {
    expect(annotate(entry(HEAD), DOCKERFILE, 2)).toHaveLength(2)
  })

  it('3: a layer that is not mapped is not annotated', () => {
    // The Dockerfile's last step differs from the image's: the mapping stops at once.
    const notes = annotate(entry(HEAD), DOCKERFILE.replace('echo small', 'echo tiny'))
    expect(notes).toEqual([])
  })

  it('4: at most 8 by default, leaving room for the verdict among GitHub’s 10 warnings a step', () => {
    const runs = Array.from({ length: 12 }, (_, i) => `RUN echo ${i}`)
    const layers: Array<[string, string, number]> = [
      ['a', ROOTFS, 80_000_000],
      ...runs.map((r, i): [string, string, number] => [
        `l${i}`,
        `RUN /bin/sh -c ${r.slice(4)} # buildkit`,
        2_000_000 + i,
      ]),
    ]
    const notes = annotate(entry(layers), ['FROM x', ...runs].join('\n'))
    expect(notes).toHaveLength(8)
    expect(notes[0]).toMatchObject({ startLine: 13, title: 'Image grew +2.00 MB here' })
  })

  it('5: a step with new lines and workflow commands in it stays inside one line', () => {
    const text = 'FROM x\nRUN <<EOF\napt-get install -y gcc\n::error::injected\nEOF\n'
    const layers: Array<[string, string, number]> = [
      ['a', ROOTFS, 80_000_000],
      ['b', 'RUN /bin/sh -c apt-get install -y gcc\n::error::injected\n # buildkit', 9_000_000],
    ]
    const notes = annotate(entry(layers), text)
    expect(notes.length).toBeGreaterThan(0)
    for (const n of notes) {
      expect(n).toMatchObject({ startLine: 2, endLine: 5 })
      expect(n.message).not.toMatch(/[\r\n]/)
    }
  })
})
