import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parseDockerfile } from '../../src/dockerfile/parse-dockerfile.js'

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/dockerfile/${name}`, import.meta.url), 'utf8')

/** keyword, first line, last line of each instruction */
const outline = (text: string) =>
  parseDockerfile(text).stages.map((s) => [
    s.name ?? s.from,
    s.instructions.map((i) => `${i.keyword} ${i.startLine}-${i.endLine}`),
  ])

describe('parseDockerfile', () => {
  it('1: reads stages, global ARGs, continuations, JSON form and heredocs with their lines', () => {
    const parsed = parseDockerfile(fixture('Dockerfile.buildkit'))
    expect(parsed.globalArgs.map((a) => a.args)).toEqual(['BASE=isg-fixture/busybox:1'])
    expect(outline(fixture('Dockerfile.buildkit'))).toEqual([
      ['build', ['ARG 4-4', 'WORKDIR 5-5', 'RUN 6-7']],
      [
        '${BASE}',
        [
          'ARG 10-10',
          'ENV 11-11',
          'WORKDIR 12-12',
          'COPY 13-13',
          'COPY 14-14',
          'RUN 15-15',
          'RUN 16-16',
          'ADD 17-17',
          'LABEL 18-18',
          'RUN 19-22',
          'RUN 23-23',
        ],
      ],
    ])
    const final = parsed.stages[1].instructions
    expect(final[4].flags).toEqual(['--from=build'])
    expect(final[4].args).toBe('/out.txt /opt/${NAME}/out.txt')
    expect(final[5].json).toEqual(['/bin/sh', '-c', 'echo json > /j.txt'])
    expect(final[9].heredocs).toEqual([
      { name: 'EOT', body: 'echo one > /h.txt\necho two >> /h.txt\n' },
    ])
    expect(parsed.stages[0].instructions[2].args).toBe(
      'echo built > /out.txt &&     echo more >> /out.txt',
    )
  })

  it('2: honours the escape directive, and drops comments inside a continuation', () => {
    const parsed = parseDockerfile(fixture('Dockerfile.escape'))
    expect(outline(fixture('Dockerfile.escape'))).toEqual([
      ['base', ['RUN 3-5']],
      ['tools', ['COPY 8-8', 'RUN 9-9']],
      ['base', ['RUN 12-12']],
    ])
    expect(parsed.stages[0].instructions[0].args).toBe('echo a > /a.txt &&     echo b >> /a.txt')
    expect(parsed.stages[2].from).toBe('base')
  })

  it.each([
    [3, 'FROM a\r\nRUN x \\\r\n  y\r\n', [['a', ['RUN 2-3']]]],
    [4, '# comment\n\nfrom a as B\nrun echo hi\n', [['b', ['RUN 4-4']]]],
    [
      5,
      'FROM --platform=$BUILDPLATFORM a AS b\nCOPY <<-EOF /x\n\thello\n\tEOF\nRUN y',
      [['b', ['COPY 2-4', 'RUN 5-5']]],
    ],
    [6, 'FROM a\nRUN <<A <<B\none\nA\ntwo\nB\nRUN z', [['a', ['RUN 2-6', 'RUN 7-7']]]],
    [7, 'FROM a\nRUN ["not json"\n', [['a', ['RUN 2-2']]]],
    [8, 'FROM a\nRUN x \\', [['a', ['RUN 2-2']]]],
  ])('%i: %j', (_n, text, expected) => {
    expect(outline(text)).toEqual(expected)
  })

  it('9: two heredocs keep their bodies; a dash strips leading tabs', () => {
    const [stage] = parseDockerfile('FROM a\nRUN <<A <<-B\none\nA\n\ttwo\n\tB\n').stages
    expect(stage.instructions[0].heredocs).toEqual([
      { name: 'A', body: 'one\n' },
      { name: 'B', body: 'two\n' },
    ])
    expect(stage.instructions[0].json).toBeUndefined()
  })
})
