import { describe, expect, it } from '@jest/globals'
import {
  baseSpec,
  buildImage,
  cacheNeedsBuildx,
  parseCacheEntries,
  showCacheEntry,
  type CommandRunner,
  type BuildSpec,
  type CacheInput,
} from '../../src/image-build/index.js'
import { buildCommandArgs } from '../../src/image-build/build-spec.js'
import { InputError, inputProblemText } from '../../src/util/errors.js'

/** The cache-from / cache-to inputs: splitting, validation lines, and the docker arguments. */

const texts = (input: CacheInput, text: string) => {
  const parsed = parseCacheEntries(input, text)
  return 'entries' in parsed ? parsed.entries.map((e) => `${e.type}: ${e.text}`) : parsed
}
const lines = (input: CacheInput, text: string) => {
  const parsed = parseCacheEntries(input, text)
  return 'problems' in parsed ? parsed.problems.map(inputProblemText) : parsed
}

describe('parseCacheEntries: what build-push-action users write', () => {
  it.each<[number, CacheInput, string, string[]]>([
    [1, 'cache-from', '', []],
    [2, 'cache-from', 'type=gha', ['gha: type=gha']],
    [
      3,
      'cache-from',
      'type=registry,ref=ghcr.io/org/app:cache\ntype=gha,scope=app',
      ['registry: type=registry,ref=ghcr.io/org/app:cache', 'gha: type=gha,scope=app'],
    ],
    [4, 'cache-from', 'ghcr.io/org/app:cache', ['image: ghcr.io/org/app:cache']],
    [5, 'cache-from', 'app:cache, app:main', ['image: app:cache', 'image: app:main']],
    [
      6,
      'cache-from',
      'type=local,src=/tmp/c,type=registry,ref=127.0.0.1:5000/a:b',
      ['local: type=local,src=/tmp/c', 'registry: type=registry,ref=127.0.0.1:5000/a:b'],
    ],
    [7, 'cache-to', 'type=inline', ['inline: type=inline']],
    [
      8,
      'cache-to',
      '  type=registry,ref=ghcr.io/org/app:cache,mode=max  \r\n\n type=gha,mode=min ',
      ['registry: type=registry,ref=ghcr.io/org/app:cache,mode=max', 'gha: type=gha,mode=min'],
    ],
    [9, 'cache-to', '"type=local,dest=/tmp/c"', ['local: type=local,dest=/tmp/c']],
  ])('%i: %s %j', (_n, input, text, expected) => {
    expect(texts(input, text)).toEqual(expected)
  })
})

describe('parseCacheEntries: one line per bad entry, naming the input', () => {
  it.each<[number, CacheInput, string, string[]]>([
    [
      1,
      'cache-from',
      'type=s4,ref=a',
      [
        'Input "cache-from" has the value "type=s4,ref=a"; expected a known cache type: type=registry, type=local, type=gha, type=s3, type=azblob with its attributes (type=registry,ref=IMAGE).',
      ],
    ],
    [
      2,
      'cache-from',
      'type=registry\ntype=local,dest=/x\nNot A Ref',
      [
        'Input "cache-from" has the value "type=registry"; expected type=registry with ref=….',
        'Input "cache-from" has the value "type=local,dest=/x"; expected type=local with src=….',
        'Input "cache-from" has the value "Not A Ref"; expected an image reference such as ghcr.io/org/app:cache, or type=….',
      ],
    ],
    [
      3,
      'cache-from',
      'type=inline',
      [
        'Input "cache-from" has the value "type=inline"; expected a cache to read; an inline cache is read from its image: type=registry,ref=IMAGE or the plain reference (type=inline is for cache-to).',
      ],
    ],
    [
      4,
      'cache-to',
      'ghcr.io/org/app:cache',
      [
        'Input "cache-to" has the value "ghcr.io/org/app:cache"; expected a cache to write: type=registry, type=local, type=gha, type=inline, type=s3, type=azblob with its attributes (type=registry,ref=IMAGE), not a plain reference.',
      ],
    ],
    [
      5,
      'cache-to',
      'type=gha,mode=all\ntype=registry,ref=UPPER:case\ntype=gha,scope=a,scope=b',
      [
        'Input "cache-to" has the value "type=gha,mode=all"; expected mode=min or mode=max.',
        'Input "cache-to" has the value "type=registry,ref=UPPER:case"; expected ref= to be an image reference such as ghcr.io/org/app:cache.',
        'Input "cache-to" has the value "type=gha,scope=a,scope=b"; expected each attribute once, but "scope" is given twice.',
      ],
    ],
    [
      6,
      'cache-from',
      'ref=app:cache',
      [
        'Input "cache-from" has the value "ref=app:cache"; expected a cache starting with type=, one of type=registry, type=local, type=gha, type=s3, type=azblob with its attributes (type=registry,ref=IMAGE).',
      ],
    ],
    [
      7,
      'cache-from',
      'type=gha,mode=max',
      [
        'Input "cache-from" has the value "type=gha,mode=max"; expected no mode= (it is for cache-to).',
      ],
    ],
    [
      8,
      'cache-to',
      'type=gha,Scope=x',
      [
        'Input "cache-to" has the value "type=gha,Scope=x"; expected key=value attributes, not "Scope=x".',
      ],
    ],
  ])('%i: %s %j', (_n, input, text, expected) => {
    expect(lines(input, text)).toEqual(expected)
  })

  it('9: the lines read as one InputError, every bad entry listed', () => {
    const parsed = parseCacheEntries('cache-to', 'type=nope\ntype=inline\napp:x')
    expect('problems' in parsed && new InputError(parsed.problems).problems.length).toBe(2)
  })
})

describe('cacheNeedsBuildx: the classic builder takes --cache-from IMAGE only', () => {
  const entries = (input: CacheInput, text: string) => {
    const parsed = parseCacheEntries(input, text)
    if (!('entries' in parsed)) throw new Error(text)
    return parsed.entries
  }
  it.each<[number, string, string, string | null]>([
    [1, '', '', null],
    [2, 'app:cache\n127.0.0.1:5000/app:cache', '', null],
    [
      3,
      '',
      'type=inline',
      'Input "cache-to" ("type=inline") needs docker buildx, which this docker CLI does not have: add docker/setup-buildx-action before this step, or remove cache-to.',
    ],
    [
      4,
      'app:cache\ntype=gha',
      '',
      'Input "cache-from" ("type=gha") needs docker buildx, which this docker CLI does not have: add docker/setup-buildx-action before this step, or give cache-from as plain image references (the classic builder reads only those).',
    ],
  ])('%i', (_n, from, to, expected) => {
    expect(
      cacheNeedsBuildx({ from: entries('cache-from', from), to: entries('cache-to', to) }),
    ).toBe(expected)
  })
})

describe('the docker arguments', () => {
  const spec: BuildSpec = {
    context: '.',
    buildArgs: {},
    cacheFrom: [{ text: 'type=gha', type: 'gha' }],
    cacheTo: [{ text: 'type=gha,mode=max', type: 'gha' }],
  }
  it('1: --cache-from and --cache-to for each entry, as written, before the context', () => {
    expect(buildCommandArgs(spec, 't:1')).toEqual([
      ...['--tag', 't:1', '--file', 'Dockerfile'],
      ...['--cache-from', 'type=gha', '--cache-to', 'type=gha,mode=max', '.'],
    ])
  })
  it('2: the base build writes no cache; BuildKit reads the PR build from its own cache', () => {
    expect(baseSpec(spec, 'isg:head', true)).toEqual({ ...spec, cacheTo: [] })
  })
  it('3: the classic builder with cache-from gets the PR image first among its sources', () => {
    const classic = { ...spec, cacheFrom: [{ text: 'app:cache', type: 'image' }] }
    expect(baseSpec(classic, 'isg:head', false).cacheFrom).toEqual([
      { text: 'isg:head', type: 'image' },
      { text: 'app:cache', type: 'image' },
    ])
  })
  it('4: the classic builder without cache-from reuses every local image already', () => {
    expect(baseSpec({ ...spec, cacheFrom: [] }, 'isg:head', false).cacheFrom).toEqual([])
  })
})

describe('credentials in cache lines never reach a log or a message', () => {
  const SECRET = 'isg-cache-secret-1234'
  it('1: showCacheEntry hides the values of token, secret and key attributes', () => {
    expect(showCacheEntry(`type=gha,url=http://127.0.0.1:1/,token=${SECRET},scope=app`)).toBe(
      'type=gha,url=http://127.0.0.1:1/,token=***,scope=app',
    )
    expect(
      showCacheEntry(
        `type=s3,region=eu,bucket=b,access_key_id=${SECRET},secret_access_key=${SECRET}`,
      ),
    ).toBe('type=s3,region=eu,bucket=b,access_key_id=***,secret_access_key=***')
  })

  it('2: a bad entry and the missing-buildx line show it hidden', () => {
    const bad = parseCacheEntries('cache-to', `type=s3,secret_access_key=${SECRET},mode=all`)
    expect(JSON.stringify(bad)).not.toContain(SECRET)
    const good = parseCacheEntries('cache-to', `type=gha,token=${SECRET}`)
    if (!('entries' in good)) throw new Error('expected entries')
    expect(cacheNeedsBuildx({ from: [], to: good.entries })).toContain('("type=gha,token=***")')
  })

  it('3: the logged docker command shows it hidden; docker gets it as written', async () => {
    const lines: string[] = []
    const log = { debug() {}, info: (m: string) => lines.push(m), warning() {} }
    const seen: string[][] = []
    const runCommand: CommandRunner = (_tool, args) => {
      seen.push(args)
      return Promise.resolve({ exitCode: 0, stdout: '', stderr: '' })
    }
    const spec: BuildSpec = {
      context: '.',
      buildArgs: {},
      cacheFrom: [{ text: `type=gha,token=${SECRET}`, type: 'gha' }],
    }
    await buildImage(spec, { cwd: '.', tag: 't:1', log, runCommand, buildx: true })
    expect(lines.join('\n')).not.toContain(SECRET)
    expect(lines[0]).toContain('--cache-from type=gha,token=***')
    expect(seen[0]).toContain(`type=gha,token=${SECRET}`)
  })
})
