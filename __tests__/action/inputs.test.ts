import { afterEach, describe, expect, it } from '@jest/globals'
import { defaultCommentKey, getInputs, type Inputs } from '../../src/action/inputs.js'
import { InputError } from '../../src/util/errors.js'

/**
 * getInputs reads the runner's INPUT_<NAME> variables (upper-cased, dashes kept), as GitHub sets
 * them: every input of action.yml, '' where the workflow gives none.
 */

const HEAD = 'docker-archive:examples/pr.tar'
const BASE = 'docker-archive:examples/base.tar'

function withInputs(inputs: Record<string, string>): () => Inputs {
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key]
  for (const [name, value] of Object.entries(inputs))
    process.env[`INPUT_${name.toUpperCase()}`] = value
  return getInputs
}

afterEach(() => {
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key]
})

describe('getInputs: valid inputs', () => {
  it.each<[number, Record<string, string>, (inputs: Inputs) => unknown, unknown]>([
    [1, { 'head-image': HEAD }, (i) => i.comment, true],
    [2, { 'head-image': HEAD, comment: 'FALSE' }, (i) => i.comment, false],
    [3, { 'head-image': HEAD, comment: ' true ' }, (i) => i.comment, true],
    [4, { 'head-image': HEAD }, (i) => i.build, undefined],
    [5, { 'head-image': HEAD }, (i) => i.gate.base, undefined],
    [
      6,
      { 'head-image': HEAD, 'base-image': BASE },
      (i) => i.gate.base?.transport,
      'docker-archive',
    ],
    [7, { 'head-image': HEAD, 'max-size': '1GB' }, (i) => i.gate.budget.maxSizeBytes, 1e9],
    [8, { 'head-image': HEAD }, (i) => i.gate.basis, 'uncompressed'],
    [9, { 'head-image': HEAD, 'size-basis': 'compressed' }, (i) => i.gate.basis, 'compressed'],
    [10, { 'head-image': HEAD }, (i) => i.gate.baseMissing, 'no-baseline'],
    [11, { 'head-image': HEAD, 'base-missing': 'fail' }, (i) => i.gate.baseMissing, 'fail'],
    [
      12,
      { 'head-image': HEAD, platforms: 'linux/amd64, linux/arm64/v8' },
      (i) => i.gate.platforms,
      [
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64', variant: 'v8' },
      ],
    ],
    [
      13,
      { 'head-image': HEAD, 'insecure-registries': 'registry:5000,other' },
      (i) => i.gate.insecureRegistries,
      ['registry:5000', 'other'],
    ],
    [14, { 'head-image': HEAD, 'github-token': 'ghs_x' }, (i) => i.githubToken, 'ghs_x'],
    [15, { 'head-image': HEAD, 'comment-key': ' mine ' }, (i) => i.commentKey, 'mine'],
    [16, { 'head-image': 'ghcr.io/org/app:pr-7' }, (i) => i.commentKey, 'ghcr.io/org/app'],
    [
      17,
      { 'head-image': 'docker://127.0.0.1:5000/isg-inputs8/app:pr' },
      (i) => i.commentKey,
      '127.0.0.1:5000/isg-inputs8/app',
    ],
    [
      18,
      {
        context: 'app',
        dockerfile: 'app/Dockerfile.pr',
        target: 'runtime',
        'build-args': 'A=1\n"B=x,y"',
        'build-network': 'host',
      },
      (i) => i.build,
      {
        context: 'app',
        dockerfile: 'app/Dockerfile.pr',
        target: 'runtime',
        buildArgs: { A: '1', B: 'x,y' },
        network: 'host',
      },
    ],
    [19, { context: '.' }, (i) => [i.gate.head, i.commentKey], [undefined, 'build:./Dockerfile']],
    [20, { context: '.', 'head-image': HEAD }, (i) => i.gate.head?.transport, 'docker-archive'],
    [
      21,
      { 'head-image': HEAD, 'registry-username': 'isg', 'registry-password': 'isg-secret' },
      (i) => i.gate.credentials,
      { username: 'isg', password: 'isg-secret', registry: undefined },
    ],
    [
      22,
      { context: 'app', target: 'runtime', 'build-args': 'A=1' },
      (i) => i.annotations,
      { dockerfile: 'app/Dockerfile', target: 'runtime', buildArgs: { A: '1' } },
    ],
    [
      23,
      { 'head-image': HEAD, dockerfile: 'docker/Dockerfile', target: 'app' },
      (i) => [i.build, i.annotations],
      [undefined, { dockerfile: 'docker/Dockerfile', target: 'app', buildArgs: {} }],
    ],
    [24, { 'head-image': HEAD }, (i) => i.annotations, undefined],
    [25, { context: '.', annotations: 'False' }, (i) => i.annotations, undefined],
  ])('%i: %j', (_n, inputs, pick, expected) => {
    expect(pick(withInputs(inputs)())).toEqual(expected)
  })
})

/** The problems as the action words them, one line each. */
function problems(inputs: Record<string, string>): string[] {
  try {
    withInputs(inputs)()
  } catch (error) {
    if (error instanceof InputError) return error.problems
    throw error
  }
  throw new Error('expected an InputError')
}

describe('getInputs: bad inputs, all reported together', () => {
  it.each<[number, Record<string, string>, string[]]>([
    [1, {}, ['Input "head-image" has the value ""; expected an image reference; it is required.']],
    [
      2,
      { 'head-image': HEAD, comment: 'yes' },
      ['Input "comment" has the value "yes"; expected "true" or "false".'],
    ],
    [
      3,
      { 'head-image': HEAD, 'size-basis': 'gzip', 'base-missing': 'maybe' },
      [
        'Input "size-basis" has the value "gzip"; expected "uncompressed" or "compressed".',
        'Input "base-missing" has the value "maybe"; expected "no-baseline" or "fail".',
      ],
    ],
    [
      4,
      { context: '.', 'head-image': HEAD, 'base-image': BASE },
      [
        'Input "context" has the value "."; expected to be empty when head-image and base-image are both set (nothing is left to build).',
      ],
    ],
    [
      5,
      { 'head-image': HEAD, 'registry-username': 'isg' },
      [
        'Input "registry-password" has the value ""; expected a value, because registry-username is set.',
      ],
    ],
  ])('%i: %j', (_n, inputs, expected) => {
    expect(problems(inputs)).toEqual(expected)
  })

  it('6: a bad build-args, a bad budget and a bad comment are three lines', () => {
    expect(
      problems({ context: '.', 'build-args': '=x', 'max-size': '12XB', comment: 'no' }).map(
        (line) => line.slice(0, line.indexOf(';')),
      ),
    ).toEqual([
      'Input "build-args" has the value "=x"',
      'Input "max-size" has the value "12XB"',
      'Input "comment" has the value "no"',
    ])
  })
  it('7: cache-from and cache-to: each bad entry a line; set without context, a line each', () => {
    expect(
      problems({ context: '.', 'cache-from': 'type=registry', 'cache-to': 'type=gha\ntype=nope' }),
    ).toEqual([
      'Input "cache-from" has the value "type=registry"; expected type=registry with ref=….',
      'Input "cache-to" has the value "type=nope"; expected a known cache type: type=registry, type=local, type=gha, type=inline, type=s3, type=azblob with its attributes (type=registry,ref=IMAGE).',
    ])
    expect(
      problems({ 'head-image': HEAD, 'cache-from': 'app:cache', 'cache-to': 'type=gha' }),
    ).toEqual([
      'Input "cache-from" has the value "app:cache"; expected to be empty unless context is set (build mode).',
      'Input "cache-to" has the value "type=gha"; expected to be empty unless context is set (build mode).',
    ])
  })

  it('8: the build spec carries the caches as parsed', () => {
    const build = withInputs({
      context: '.',
      'cache-from': 'app:cache\ntype=gha',
      'cache-to': 'type=inline',
    })().build
    expect(build?.cacheFrom).toEqual([
      { text: 'app:cache', type: 'image' },
      { text: 'type=gha', type: 'gha' },
    ])
    expect(build?.cacheTo).toEqual([{ text: 'type=inline', type: 'inline' }])
  })
})

describe('getInputs: mode and reports (issue 10)', () => {
  it('measure by default, with no reports', () => {
    const inputs = withInputs({ 'head-image': HEAD })()
    expect([inputs.mode, inputs.reports]).toEqual(['measure', []])
  })

  it('aggregate needs no head-image; reports split on commas and lines; no default key', () => {
    const inputs = withInputs({ mode: 'Aggregate', reports: 'a/report-x.json, b\n\nc ' })()
    expect([inputs.mode, inputs.reports, inputs.commentKey]).toEqual([
      'aggregate',
      ['a/report-x.json', 'b', 'c'],
      '',
    ])
  })

  it('a bad mode and publish without reports are named together', () => {
    expect(withInputs({ mode: 'merge' })).toThrow(/mode.*merge.*measure, aggregate, publish/)
    let error: unknown
    try {
      withInputs({ mode: 'publish', 'max-size': 'big' })()
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(InputError)
    const text = (error as InputError).message
    expect(text).toMatch(/reports/)
    expect(text).toMatch(/max-size/)
  })
})

describe('defaultCommentKey', () => {
  it.each([
    [1, 'app:pr-7', 'docker.io/library/app'],
    [2, 'docker-daemon:ghcr.io/org/app@sha256:' + 'a'.repeat(64), 'ghcr.io/org/app'],
    [3, 'NOT A REF', 'NOT A REF'],
  ])('%i: %s → %s', (_n, head, key) => {
    expect(defaultCommentKey(head)).toBe(key)
  })
})

describe('getInputs: secrets', () => {
  it('masks registry-password (the table marks it secret), even when other inputs are bad', () => {
    const written: string[] = []
    const write = process.stdout.write.bind(process.stdout)
    process.stdout.write = ((chunk: string) => (written.push(String(chunk)), true)) as typeof write
    try {
      problems({ 'registry-username': 'isg', 'registry-password': 'isg-secret' })
    } finally {
      process.stdout.write = write
    }
    expect(written.join('')).toContain('::add-mask::isg-secret')
    expect(written.join('')).not.toContain('::add-mask::isg\n')
  })
})
