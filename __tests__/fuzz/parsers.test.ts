import { describe, expect, test } from '@jest/globals'
import { parseCount, parseIncreaseLimit } from '../../src/budget/budget.js'
import { parseSize, parseSizeLimit } from '../../src/budget/size.js'
import { isBuildArgsError, parseBuildArgs } from '../../src/image-build/build-args.js'
import {
  formatDockerReference,
  parseDockerReference,
  parseSourceRef,
} from '../../src/model/reference.js'
import { parseOptions, parsePlatforms, type RawOptions } from '../../src/options.js'
import { secondsFromEnv } from '../../src/sources/timeout-env.js'
import {
  InputError,
  inputProblemText,
  optionProblemText,
  UserError,
} from '../../src/util/errors.js'
import { prng, randomString, strings } from './strings.js'

/**
 * The parsers of what users write, fed thousands of seeded random and adversarial strings: none
 * throws (parseOptions throws the documented InputError only), every message stays one bounded
 * line, and what they accept is sane (finite, not negative, round-trips). A failure prints its
 * seed and value; set FUZZ_SEED to replay another seed.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261203)
const COUNT = 3000
/** The longest problem line accepted: one line a reader takes in, whatever was written. */
const MAX_LINE = 600

const show = (value: string) =>
  JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}… (${value.length} chars)` : value)

/** Runs `check` on every string, collecting failures so one run reports them all. */
function fuzz(seed: number, count: number, check: (value: string) => void): void {
  const failures: string[] = []
  for (const value of strings(seed, count)) {
    try {
      check(value)
    } catch (error) {
      failures.push(`${show(value)}: ${String(error).split('\n')[0].slice(0, 300)}`)
    }
  }
  expect({ seed, failures: failures.slice(0, 15), count: failures.length }).toEqual({
    seed,
    failures: [],
    count: 0,
  })
}

function expectOneLine(text: string, what: string): void {
  if (/[\r\n]/.test(text)) throw new Error(`${what} spans lines: ${show(text)}`)
  if (text.length > MAX_LINE) throw new Error(`${what} is ${text.length} chars long`)
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(text))
    throw new Error(`${what} has control characters: ${show(text)}`)
}

function expectBytes(bytes: number | undefined, what: string): void {
  if (bytes === undefined) return
  if (!Number.isSafeInteger(bytes) || bytes < 0 || Object.is(bytes, -0))
    throw new Error(`${what} accepted as ${bytes}`)
}

function expectError(result: object, what: string): void {
  if ('error' in result) expectOneLine(String(result.error), what)
}

describe('the size parsers', () => {
  test('parseSize: bytes are safe non-negative integers, errors one line', () => {
    fuzz(SEED, COUNT, (value) => {
      const parsed = parseSize(value)
      if ('error' in parsed) return expectOneLine(parsed.error, 'error')
      expectBytes(parsed.bytes, 'size')
      // what was accepted says the same number again
      expect(parseSize(String(parsed.bytes))).toEqual({ bytes: parsed.bytes })
    })
  })

  test('parseSizeLimit, parseIncreaseLimit, parseCount: sane values only', () => {
    fuzz(SEED + 1, COUNT, (value) => {
      const limit = parseSizeLimit(value)
      if ('error' in limit) expectOneLine(limit.error, 'size limit error')
      else expectBytes(limit.value, 'size limit')
      const increase = parseIncreaseLimit(value)
      if ('error' in increase) expectOneLine(increase.error, 'increase error')
      else {
        expectBytes(increase.value?.bytes, 'increase bytes')
        const percent = increase.value?.percent
        if (percent !== undefined && !(percent >= 0 && percent <= 100 && !Object.is(percent, -0)))
          throw new Error(`percent accepted as ${percent}`)
      }
      const count = parseCount(value)
      if ('error' in count) expectOneLine(count.error, 'count error')
      else if (count.value !== undefined && !(Number.isSafeInteger(count.value) && count.value > 0))
        throw new Error(`layer count accepted as ${count.value}`)
    })
  })

  test.each([
    ['1e308', false],
    ['-0', false],
    ['0x10', false],
    ['Infinity', false],
    ['NaN', false],
    ['9'.repeat(400), false],
    ['500MB', 500e6],
    [' 1.5 GiB ', Math.round(1.5 * 1024 ** 3)],
    ['0', 0],
    ['8 TiB', 8 * 1024 ** 4],
  ])('parseSize(%j) is %j', (text, bytes) => {
    const parsed = parseSize(text)
    if (bytes === false) expect(parsed).toHaveProperty('error')
    else expect(parsed).toEqual({ bytes })
  })
})

describe('image references', () => {
  test('parseDockerReference: accepted references round-trip and make a registry URL', () => {
    fuzz(SEED + 2, COUNT, (value) => {
      const parsed = parseDockerReference(value)
      if ('error' in parsed) return expectOneLine(parsed.error, 'error')
      const again = parseDockerReference(formatDockerReference(parsed))
      expect(again).toEqual(parsed)
      // The registry client builds its URLs from the registry: that must not throw
      const url = new URL(`https://${parsed.registry}/v2/${parsed.repository}/manifests/x`)
      expect(url.pathname).toBe(`/v2/${parsed.repository}/manifests/x`)
      expect(`${parsed.registry}/${parsed.repository}`.length).toBeLessThanOrEqual(255)
    })
  })

  test('parseSourceRef: never throws; errors one line', () => {
    fuzz(SEED + 3, COUNT, (value) => {
      for (const text of [value, `docker://${value}`, `docker-daemon:${value}`, `oci:${value}`]) {
        const parsed = parseSourceRef(text)
        expectError(parsed, 'error')
      }
    })
  })

  // Docker's own grammar (distribution/reference, ParseNormalizedNamed and go-digest)
  const hex64 = 'f'.repeat(64)
  test.each<[string, string | null]>([
    ['test_com', 'docker.io/library/test_com:latest'],
    ['test.com:tag', 'docker.io/library/test.com:tag'],
    ['test.com:5000', 'docker.io/library/test.com:5000'],
    ['test.com/repo:tag', 'test.com/repo:tag'],
    ['test:5000/repo', 'test:5000/repo:latest'],
    ['test:5000/repo:tag', 'test:5000/repo:tag'],
    [`test:5000/repo@sha256:${hex64}`, `test:5000/repo@sha256:${hex64}`],
    [`test:5000/repo:tag@sha256:${hex64}`, `test:5000/repo:tag@sha256:${hex64}`],
    ['lowercase:Uppercase', 'docker.io/library/lowercase:Uppercase'],
    ['sub-dom1.foo.com/bar/baz/quux:some-long-tag', 'sub-dom1.foo.com/bar/baz/quux:some-long-tag'],
    [
      'b.gcr.io/test.example.com/my-app:test.example.com',
      'b.gcr.io/test.example.com/my-app:test.example.com',
    ],
    ['xn--n3h.com/myimage:xn--n3h.com', 'xn--n3h.com/myimage:xn--n3h.com'],
    [
      `xn--7o8h.com/myimage@sha512:${'f'.repeat(128)}`,
      `xn--7o8h.com/myimage@sha512:${'f'.repeat(128)}`,
    ],
    ['foo_bar.com:8080', 'docker.io/library/foo_bar.com:8080'],
    ['foo/foo_bar.com:8080', 'docker.io/foo/foo_bar.com:8080'],
    ['192.168.1.1/repo', '192.168.1.1/repo:latest'],
    ['192.168.1.1:5/repo', '192.168.1.1:5/repo:latest'],
    ['[2001:db8::1]/repo', '[2001:db8::1]/repo:latest'],
    ['[2001:db8::1]:5000/repo:tag', '[2001:db8::1]:5000/repo:tag'],
    ['localhost/repo', 'localhost/repo:latest'],
    ['localhost:5000/repo', 'localhost:5000/repo:latest'],
    ['index.docker.io/library/alpine', 'docker.io/library/alpine:latest'],
    ['foo__bar', 'docker.io/library/foo__bar:latest'],
    ['foo--bar', 'docker.io/library/foo--bar:latest'],
    [`repo@sha256:${hex64}`, `docker.io/library/repo@sha256:${hex64}`],
    ['', null],
    [':justtag', null],
    [`@sha256:${hex64}`, null],
    ['Uppercase:tag', null],
    ['test:5000/Uppercase/lowercase:tag', null],
    ['aa/asdf$$^/aa', null],
    ['a/a/a/a/', null],
    ['-foo', null],
    ['foo-', null],
    ['foo___bar', null],
    ['a..b', null],
    ['a'.repeat(256), null],
    [`a:${'a'.repeat(129)}`, null],
    [`repo@sha256:${'f'.repeat(65)}`, null],
    [`repo@sha256:${'f'.repeat(32)}`, null],
    [`repo@sha256:${'F'.repeat(64)}`, null],
    [`repo@sha256:${'z'.repeat(64)}`, null],
    [`validname@invaliddigest:${hex64}`, null],
    ['ex ample.com/repo', null],
    ['example..com/repo', null],
    ['.example.com/repo', null],
    ['example.com:/repo', null],
    ['example-.com/repo', null],
    ['[fe80::1%eth0]:5000/repo', null],
    ['2001:db8::1/repo', null],
    ['exämple.com/repo', null],
    ['host:port/repo', null],
  ])('%j → %j, as Docker reads it', (text, expected) => {
    const parsed = parseDockerReference(text)
    if (expected === null) expect(parsed).toHaveProperty('error')
    else expect('error' in parsed ? parsed.error : formatDockerReference(parsed)).toBe(expected)
  })
})

describe('platforms and build args', () => {
  test('parsePlatforms: never throws; platforms are os/arch[/variant]', () => {
    fuzz(SEED + 4, COUNT, (value) => {
      const parsed = parsePlatforms(value)
      if ('error' in parsed) return expectOneLine(parsed.error, 'error')
      for (const p of parsed) expect(`${p.os}/${p.architecture}`).toMatch(/^[a-z0-9]+\/[a-z0-9_]+$/)
    })
  })

  test('parseBuildArgs: never throws; its problem line is one bounded line', () => {
    fuzz(SEED + 5, COUNT, (value) => {
      const parsed = parseBuildArgs(value)
      if (!isBuildArgsError(parsed)) return
      const line = inputProblemText({ input: 'build-args', value, expected: parsed.error })
      expectOneLine(line, 'problem line')
      expect(line.startsWith('Input "build-args" has the value ')).toBe(true)
    })
  })
})

/** Inputs parseOptions reads; a random few get a random value in each case. */
const OPTION_INPUTS: (keyof RawOptions)[] = [
  'base-image',
  'head-image',
  'max-size',
  'warn-size',
  'max-increase',
  'warn-increase',
  'max-layers',
  'max-reclaimable',
  'max-reclaimable-increase',
  'min-efficiency',
  'max-wasted-bytes',
  'max-wasted-user-percent',
  'secrets',
  'file-analysis',
  'size-basis',
  'platforms',
  'insecure-registries',
  'base-missing',
  'registry',
  'registry-username',
]
const PASSWORD = 'Pa55-w0rd-never-shown'

describe('parseOptions', () => {
  test('every input at once: InputError only, one bounded line per problem naming the input', () => {
    const random = prng(SEED + 6)
    const failures: string[] = []
    for (let i = 0; i < COUNT; i += 1) {
      const raw: RawOptions = { 'head-image': 'app:pr' }
      for (const input of OPTION_INPUTS) if (random() < 0.3) raw[input] = randomString(random)
      if (random() < 0.3) raw['registry-password'] = PASSWORD
      try {
        const options = parseOptions(raw, { headRequired: random() < 0.5 })
        const b = options.budget
        for (const bytes of [
          b.maxSizeBytes,
          b.warnSizeBytes,
          b.maxIncrease?.bytes,
          b.warnIncrease?.bytes,
          b.maxReclaimableBytes,
          b.maxReclaimableIncreaseBytes,
          b.maxWastedBytes,
        ])
          expectBytes(bytes, 'budget')
        for (const ratio of [b.minEfficiency, b.maxWastedUserRatio])
          if (ratio !== undefined && !(ratio >= 0 && ratio <= 1)) throw new Error(`ratio ${ratio}`)
      } catch (error) {
        if (!(error instanceof InputError)) {
          failures.push(`case ${i} ${JSON.stringify(raw).slice(0, 200)}: ${String(error)}`)
          continue
        }
        for (const p of error.inputs) {
          for (const line of [inputProblemText(p), optionProblemText(p)]) {
            try {
              expectOneLine(line, `problem with ${p.input}`)
            } catch (e) {
              failures.push(`case ${i}: ${String(e).slice(0, 300)}`)
            }
            if (!line.includes(`${p.input}"`) && !line.includes(`--${p.input} `))
              failures.push(`case ${i}: does not name ${p.input}: ${show(line)}`)
            if (line.includes(PASSWORD)) failures.push(`case ${i}: shows the password`)
          }
        }
      }
    }
    expect({ failures: failures.slice(0, 15), count: failures.length }).toEqual({
      failures: [],
      count: 0,
    })
  })
})

describe('timeouts from the environment', () => {
  test('secondsFromEnv: a UserError or a bound from 1 ms to a day', () => {
    fuzz(SEED + 7, COUNT, (value) => {
      let ms: number
      try {
        ms = secondsFromEnv('ISG_FUZZ_TIMEOUT', 60, { ISG_FUZZ_TIMEOUT: value })
      } catch (error) {
        if (!(error instanceof UserError)) throw error
        expectOneLine(error.message, 'error')
        expect(error.message.startsWith('ISG_FUZZ_TIMEOUT has the value ')).toBe(true)
        return
      }
      if (!(Number.isSafeInteger(ms) && ms >= 1 && ms <= 86_400_000))
        throw new Error(`accepted as ${ms} ms`)
    })
  })
})
