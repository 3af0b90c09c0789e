import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { expectedSteps, substitute } from '../../src/dockerfile/final-stage.js'
import { mapLayersToDockerfile } from '../../src/dockerfile/map-layers.js'
import { parseDockerfile } from '../../src/dockerfile/parse-dockerfile.js'

const read = (name: string) =>
  readFileSync(new URL(`../fixtures/dockerfile/${name}`, import.meta.url), 'utf8')
/** Real history of images built from the fixture Dockerfiles on both engines */
const IMAGES = (JSON.parse(read('layer-steps.json')) as { images: Record<string, string[]> }).images

/** layer position → "first-last" Dockerfile lines */
function mapped(text: string, steps: string[], target?: string): Record<number, string> {
  const expected = expectedSteps(parseDockerfile(text), { target })
  if (!expected) throw new Error('no such stage')
  return Object.fromEntries(
    mapLayersToDockerfile(steps, expected).map((s) => [
      s.layer,
      `${s.instruction.startLine}-${s.instruction.endLine}`,
    ]),
  )
}

const BUSYBOX = [
  '/bin/sh -c #(nop) COPY file:73e2b2d48642b21b357384b0cb81c1869cc5e0c48a00f61553756196058304b9 in /bin/busybox ',
  '/bin/busybox --install -s /bin',
]

describe('mapLayersToDockerfile on real history of both engines', () => {
  it.each([
    [
      1,
      'classic 20.10, Dockerfile.classic',
      'Dockerfile.classic',
      undefined,
      { 3: '12-12', 4: '13-13', 5: '14-14', 6: '15-15', 7: '16-16', 8: '17-17', 9: '19-19' },
    ],
    [
      2,
      'buildkit 26, Dockerfile.buildkit',
      'Dockerfile.buildkit',
      undefined,
      {
        3: '12-12',
        4: '13-13',
        5: '14-14',
        6: '15-15',
        7: '16-16',
        8: '17-17',
        9: '19-22',
        10: '23-23',
      },
    ],
    [
      3,
      'classic 20.10, Dockerfile.classic --target build',
      'Dockerfile.classic',
      'build',
      { 3: '5-5', 4: '6-7' },
    ],
    [
      4,
      'classic 20.10, Dockerfile.escape --target tools',
      'Dockerfile.escape',
      'tools',
      { 3: '3-5', 4: '8-8', 5: '9-9' },
    ],
    [
      5,
      'buildkit 26, Dockerfile.escape --target tools',
      'Dockerfile.escape',
      'tools',
      { 3: '3-5', 4: '8-8', 5: '9-9' },
    ],
    [
      6,
      'buildkit 26, Dockerfile.more',
      'Dockerfile.more',
      undefined,
      { 3: '3-3', 4: '4-4', 5: '5-7', 6: '8-10', 7: '11-11' },
    ],
  ])('%i: %s', (_n, image, dockerfile, target, expected) => {
    expect(mapped(read(dockerfile), IMAGES[image], target)).toEqual(expected)
  })

  it('7: the base image layers are never mapped, even to an instruction with the same text', () => {
    const steps = [...BUSYBOX, 'RUN /bin/sh -c /bin/busybox --install -s /bin # buildkit']
    expect(
      mapped('FROM isg-fixture/busybox:1\nRUN /bin/busybox --install -s /bin\n', steps),
    ).toEqual({
      3: '2-2',
    })
  })
})

describe('mapLayersToDockerfile: what cannot be matched is not mapped', () => {
  const classic = read('Dockerfile.classic')
  const steps = IMAGES['classic 20.10, Dockerfile.classic']

  it('8: a Dockerfile edited after the build (its last step differs): nothing', () => {
    expect(mapped(classic.replace('echo $NAME > /name.txt', 'echo $NAME > /n.txt'), steps)).toEqual(
      {},
    )
  })

  it('9: a step changed in the middle: only the layers above it, confirmed in full', () => {
    // The classic ADD above it matches by destination only, and nothing below confirms it.
    expect(mapped(classic.replace('of=/opt/big', 'of=/opt/huge'), steps)).toEqual({ 9: '19-19' })
    expect(mapped(classic.replace('echo json', 'echo JSON'), steps)).toEqual({
      7: '16-16',
      8: '17-17',
      9: '19-19',
    })
  })

  it('10: the classic builder’s COPY layers alone (matched by destination only): nothing', () => {
    const copies = ['COPY a /app/', 'COPY b /app/'].map(
      (c) => `/bin/sh -c #(nop) ${c.replace(/ \S+ /, ` file:${'1'.repeat(64)} in `)} `,
    )
    expect(mapped('FROM x\nCOPY a /app/\nCOPY b /app/\n', [...BUSYBOX, ...copies])).toEqual({})
    // The same, confirmed by a RUN matched in full below them
    expect(
      mapped('FROM x\nRUN make\nCOPY a /app/\nCOPY b /app/\n', [
        ...BUSYBOX,
        '/bin/sh -c make',
        ...copies,
      ]),
    ).toEqual({ 3: '2-2', 4: '3-3', 5: '4-4' })
  })

  it('11: the wrong stage (an image built with --target build mapped to the last stage): nothing', () => {
    expect(mapped(classic, IMAGES['classic 20.10, Dockerfile.classic --target build'])).toEqual({})
  })

  it('12: a step whose recorded text cannot be predicted (two heredocs) stops the mapping', () => {
    const text = 'FROM x\nRUN make\nRUN <<A <<B\none\nA\ntwo\nB\nRUN test\n'
    const layers = [
      ...BUSYBOX,
      'RUN /bin/sh -c make # buildkit',
      'RUN /bin/sh -c one # buildkit',
      'RUN /bin/sh -c test # buildkit',
    ]
    expect(mapped(text, layers)).toEqual({ 5: '8-8' })
  })

  it('13: a target that is not a stage', () => {
    expect(expectedSteps(parseDockerfile(classic), { target: 'nope' })).toBeUndefined()
  })

  it('14: a build argument changes what COPY records, so the mapping follows it', () => {
    const text = 'ARG DIR=/a\nFROM x\nARG DIR\nRUN make\nCOPY f ${DIR}/\n'
    const layers = [...BUSYBOX, 'RUN /bin/sh -c make # buildkit', 'COPY f /b/ # buildkit']
    const expected = expectedSteps(parseDockerfile(text), { buildArgs: { DIR: '/b' } }) ?? []
    expect(mapLayersToDockerfile(layers, expected).map((s) => s.layer)).toEqual([4, 3])
    expect(mapped(text, layers)).toEqual({})
  })

  it('15: a SHELL instruction is part of what RUN records', () => {
    const text = 'FROM x\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN make | tee log\n'
    const layers = [...BUSYBOX, 'RUN /bin/bash -o pipefail -c make | tee log # buildkit']
    expect(mapped(text, layers)).toEqual({ 3: '3-3' })
  })
})

describe('substitute', () => {
  const vars = new Map([['A', '1']])
  it.each([
    ['$A/${A}', '1/1'],
    ['${B:-two}', 'two'],
    ['${A:+yes}${B:+no}', 'yes'],
    ['$B.', '.'],
  ])('%s', (text, expected) => expect(substitute(text, vars)).toBe(expected))
})
