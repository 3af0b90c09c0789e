import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  isDiveDisabled,
  parseDiveBytes,
  parseDiveCi,
  parseDiveRatio,
} from '../../src/budget/dive-ci.js'
import { ROOT } from '../support/engines.js'

/** dive's own .dive-ci files, copied unchanged (see __tests__/fixtures/dive-ci/README.md) */
const fixture = (name: string) =>
  readFileSync(join(ROOT, '__tests__/fixtures/dive-ci', name), 'utf8')

describe("parseDiveCi: dive's own files", () => {
  it.each([
    // .data/.dive-ci: plugins and the plugin's rule are ignored, as dive ignores them; 20Mb is 20 MB
    [
      1,
      'example.dive-ci',
      { lowestEfficiency: 0.95, highestWastedBytes: 20_000_000, highestUserWastedPercent: 0.5 },
    ],
    [
      2,
      'legacy.dive-ci',
      { lowestEfficiency: 0.95, highestWastedBytes: 20_000_000, highestUserWastedPercent: 0.2 },
    ],
    [
      3,
      'default-ci-config.dive-ci',
      { lowestEfficiency: 0.96, highestWastedBytes: 19_000_000, highestUserWastedPercent: 0.6 },
    ],
  ])('%i: %s', (_n, name, rules) => {
    expect(parseDiveCi(fixture(name))).toEqual({ rules })
  })
})

describe('parseDiveCi: what dive does with what is left out, disabled or null', () => {
  const DEFAULTS = { lowestEfficiency: 0.9, highestUserWastedPercent: 0.1 }
  it.each([
    [1, '', DEFAULTS],
    [2, '# nothing\n', DEFAULTS],
    [3, 'plugins: [a]\n', DEFAULTS],
    [4, 'rules:\n', DEFAULTS],
    [5, 'rules: {}\n', DEFAULTS],
    [6, 'rules:\n  lowestEfficiency: ~\n  highestUserWastedPercent: null\n', DEFAULTS],
    [7, 'rules:\n  highestWastedBytes: 1GB\n', { ...DEFAULTS, highestWastedBytes: 1e9 }],
    [
      8,
      'rules:\n  lowestEfficiency: disabled\n  highestWastedBytes: "off"\n  highestUserWastedPercent: false\n',
      {},
    ],
    [9, 'rules:\n  lowestEfficiency: ""\n  highestUserWastedPercent: " Disabled "\n', {}],
    [10, 'rules:\n  lowestEfficiency: NaN\n', { highestUserWastedPercent: 0.1 }],
    [
      11,
      "rules:\n  lowestEfficiency: '1'\n  highestUserWastedPercent: 0\n",
      { lowestEfficiency: 1, highestUserWastedPercent: 0 },
    ],
    [12, 'rules:\n  lowestEfficiency: 9.5e-1\n', { ...DEFAULTS, lowestEfficiency: 0.95 }],
    [
      13,
      'rules:\n  lowestEfficiency: &e 0.8\n  highestUserWastedPercent: *e\n',
      { lowestEfficiency: 0.8, highestUserWastedPercent: 0.8 },
    ],
    // dive's own config file (.dive.yaml) spells the rules in snake-case
    [
      14,
      "rules:\n  lowest-efficiency-threshold: '0.10'\n  highest-wasted-bytes: '20MB'\n  highest-user-wasted-percent: '0.90'\n",
      { lowestEfficiency: 0.1, highestWastedBytes: 20e6, highestUserWastedPercent: 0.9 },
    ],
    [15, 'rules:\n  plugin1/rule1: error\n  LowestEfficiency: 0.1\n', DEFAULTS],
  ])('%i: %j', (_n, text, rules) => {
    expect(parseDiveCi(text)).toEqual({ rules })
  })
})

describe('parseDiveCi: files dive rejects, with one line saying why', () => {
  it.each([
    [
      1,
      'rules:\n  lowestEfficiency: 1.5\n',
      /^rules\.lowestEfficiency is "1\.5"; dive takes a number from 0 to 1/,
    ],
    [2, 'rules:\n  lowestEfficiency: -0.1\n', /lowestEfficiency is "-0\.1"/],
    [3, 'rules:\n  highestUserWastedPercent: 20%\n', /highestUserWastedPercent is "20%"/],
    [4, 'rules:\n  highestWastedBytes: 20XB\n', /highestWastedBytes is "20XB"; dive takes a size/],
    [5, 'rules:\n  highestWastedBytes: -5MB\n', /highestWastedBytes is "-5MB"/],
    [6, 'rules:\n  lowestEfficiency: [0.9]\n', /^rules\.lowestEfficiency is not a single value$/],
    [7, 'rules:\n  - lowestEfficiency: 0.9\n', /^rules is not a mapping/],
    [8, '- rules\n', /^the file is not a YAML mapping/],
    [9, 'just text\n', /^the file is not a YAML mapping/],
    [10, 'rules:\n  lowestEfficiency: 0.9\n  lowestEfficiency: 0.8\n', /^YAML: /],
    [11, 'rules: [\n', /^YAML: /],
    [12, 'rules:\n  lowestEfficiency: 0.9\n  lowest-efficiency-threshold: 0.8\n', /the same rule/],
    [13, 'rules:\n  lowestEfficiency: .inf\n', /lowestEfficiency is "\.inf"/],
    [14, `rules:\n  lowestEfficiency: ${'9'.repeat(100)}\n`, /is "9{40}…"/],
  ])('%i: %j', (_n, text, error) => {
    const parsed = parseDiveCi(text)
    expect(parsed).toEqual({ error: expect.stringMatching(error) })
    expect('error' in parsed && parsed.error).not.toContain('\n')
  })
})

describe("dive's value parsers", () => {
  it.each([
    [1, '20MB', 20_000_000],
    [2, '20Mb', 20_000_000],
    [3, '20mb', 20_000_000],
    [4, '20M', 20_000_000],
    [5, '1.5 GiB', Math.floor(1.5 * 1024 ** 3)],
    [6, '1,000', 1000],
    [7, '1,000 kB', 1_000_000],
    [8, '20', 20],
    [9, '.5kb', 500],
    [10, '1.7B', 1], // go-humanize truncates to whole bytes
    [11, '3ki', 3072],
    [12, '1 TB', 1e12],
  ])('%i: bytes %j is %i', (_n, text, bytes) => {
    expect(parseDiveBytes(text)).toEqual({ bytes })
  })

  it.each([
    [1, 'MB'],
    [2, '20 XB'],
    [3, '-1MB'],
    [4, ' 20MB'],
    [5, '1.2.3MB'],
    [6, '1e6'],
    [7, '9'.repeat(20) + 'EB'],
  ])('%i: bytes %j is rejected', (_n, text) => {
    expect(parseDiveBytes(text)).toHaveProperty('error')
  })

  it.each([
    [1, '0.95', { ratio: 0.95 }],
    [2, '1', { ratio: 1 }],
    [3, '0', { ratio: 0 }],
    [4, '+0.5', { ratio: 0.5 }],
    [5, '5e-1', { ratio: 0.5 }],
    [6, '.25', { ratio: 0.25 }],
    [7, 'NaN', {}],
  ])('%i: ratio %j', (_n, text, parsed) => {
    expect(parseDiveRatio(text)).toEqual(parsed)
  })

  it.each([
    [1, '1.01'],
    [2, '-0.01'],
    [3, '95%'],
    [4, 'abc'],
    [5, 'Inf'],
    [6, ''],
  ])('%i: ratio %j is rejected', (_n, text) => {
    expect(parseDiveRatio(text)).toHaveProperty('error')
  })

  it.each([
    ['', true],
    ['disabled', true],
    [' OFF ', true],
    ['False', true],
    ['0', false],
    ['no', false],
  ])('disabled: %j → %s', (text, disabled) => {
    expect(isDiveDisabled(text)).toBe(disabled)
  })
})
