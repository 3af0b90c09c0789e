import { describe, expect, it } from '@jest/globals'
import { isBuildArgsError, parseBuildArgs } from '../../src/image-build/build-args.js'
import { summarizeBuildFailure } from '../../src/image-build/build-image.js'
import { buildCommandArgs, buildTags } from '../../src/image-build/build-spec.js'

describe('parseBuildArgs', () => {
  it.each([
    [1, '', {}],
    [2, 'A=1', { A: '1' }],
    [3, 'A=1\nB=2', { A: '1', B: '2' }],
    [4, 'A=1,B=2', { A: '1', B: '2' }],
    [5, '  A=1 ,\n\n  B=2  \r\n', { A: '1', B: '2' }],
    [6, 'URL=https://x/?a=b', { URL: 'https://x/?a=b' }],
    [7, 'EMPTY=', { EMPTY: '' }],
    [8, '"LIST=a,b,c"', { LIST: 'a,b,c' }],
    [9, '"Q=say ""hi""", R=2', { Q: 'say "hi"', R: '2' }],
    [10, 'A=1,,B=2,', { A: '1', B: '2' }],
    [
      11,
      'http_proxy=http://p:3128\nNODE_ENV=production',
      { http_proxy: 'http://p:3128', NODE_ENV: 'production' },
    ],
    [12, 'error=x', { error: 'x' }],
  ])('%i: %j', (_n, text, expected) => {
    const result = parseBuildArgs(text)
    expect(isBuildArgsError(result)).toBe(false)
    expect(result).toEqual(expected)
  })

  it.each([
    [1, 'NOPE', /"NOPE" is not KEY=VALUE$/],
    [2, 'LIST=a,b', /"b" is not KEY=VALUE \(to keep commas in a value, quote the item/],
    [3, '1A=x', /the key "1A" must be letters, digits and _/],
    [4, 'MY-ARG=x', /the key "MY-ARG"/],
    [5, '=x', /the key ""/],
    [6, 'A=1\nA=2', /"A" is given more than once/],
    [7, '"A=1', /a quote is not closed/],
    [8, '"A=1" B=2', /only a comma may follow a closing quote/],
    [9, 'A =1', /the key "A " must be/],
  ])('%i: %j is rejected', (_n, text, message) => {
    const result = parseBuildArgs(text)
    expect(isBuildArgsError(result)).toBe(true)
    expect(result.error).toMatch(/^build-args: /)
    expect(result.error).toMatch(message)
  })

  it('keeps a key named __proto__ as an entry, not a prototype', () => {
    expect(Object.entries(parseBuildArgs('__proto__=x'))).toEqual([['__proto__', 'x']])
  })

  it('reports every bad item in one line', () => {
    const result = parseBuildArgs('A=1\nNOPE\n2B=3, C=4')
    expect(result.error).toBe(
      'build-args: "NOPE" is not KEY=VALUE; "2B=3": the key "2B" must be letters, digits and _, not starting with a digit',
    )
  })
})

describe('buildTags', () => {
  it.each([
    [1, '1234-1', 'image-size-gate-build:1234-1-head'],
    [2, 'Run_ID.42/X Y', 'image-size-gate-build:run_id.42-x-y-head'],
    [3, '.-hidden', 'image-size-gate-build:hidden-head'],
    [4, '', 'image-size-gate-build:run-head'],
    [5, '!!!', 'image-size-gate-build:run-head'],
  ])('%i: %j → %s', (_n, runId, head) => {
    expect(buildTags(runId).head).toBe(head)
    expect(buildTags(runId).base).toBe(head.replace(/-head$/, '-base'))
  })

  it('keeps tags within 128 characters', () => {
    expect(buildTags('x'.repeat(300)).head.split(':')[1]).toHaveLength(128)
  })
})

describe('buildCommandArgs', () => {
  it('passes the file, target, network and every build arg', () => {
    const spec = {
      context: 'app',
      target: 'prod',
      network: 'host',
      buildArgs: { A: '1', B: 'x y' },
    }
    expect(buildCommandArgs(spec, 't:1')).toEqual([
      '--tag',
      't:1',
      '--file',
      'app/Dockerfile',
      '--target',
      'prod',
      '--network',
      'host',
      '--build-arg',
      'A=1',
      '--build-arg',
      'B=x y',
      'app',
    ])
  })
})

describe('summarizeBuildFailure', () => {
  it.each([
    [
      1,
      [
        'Step 2/2 : RUN make',
        'make: *** [all] Error 2',
        "The command '/bin/sh -c make' returned a non-zero code: 2",
      ],
      "The command '/bin/sh -c make' returned a non-zero code: 2",
    ],
    [
      2,
      [
        '#5 ERROR: process "/bin/sh -c make" did not complete',
        'ERROR: failed to solve: exit code: 2',
      ],
      'ERROR: failed to solve: exit code: 2',
    ],
    [3, ['Sending build context', 'pull access denied for nope'], 'pull access denied for nope'],
    [4, ['just', 'some   output'], 'some output'],
    [5, [], 'no output'],
  ])('%i: picks %j', (_n, tail, expected) => {
    expect(summarizeBuildFailure(tail)).toBe(expected)
  })
})
