import { describe, expect, it } from '@jest/globals'
import { runCli } from '../../src/cli/cli.js'
import { parseOptions } from '../../src/options.js'
import { InputError } from '../../src/util/errors.js'

async function cli(args: string[]) {
  let stdout = ''
  let stderr = ''
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) })
  return { code, stdout, stderr }
}

describe('CLI usage', () => {
  it.each([
    [1, [], /no command given/],
    [2, ['diff', 'a', 'b'], /unknown command "diff"/],
    [3, ['compare', 'a'], /exactly two images/],
    [4, ['compare', 'a', 'b', 'c'], /exactly two images/],
    [5, ['compare', 'a', 'b', '--nope'], /Unknown option '--nope'/],
    [6, ['compare', 'a', 'b', '--format', 'xml'], /--format.*"xml".*text, markdown or json/],
    [
      7,
      ['compare', 'a', 'b', '--max-size', '12XB', '--max-layers', '0'],
      /Option --max-size.*"12XB"[\s\S]*Option --max-layers.*"0"/,
    ],
    [8, ['compare', 'a', 'NOT A REF'], /head-image.*"NOT A REF"/],
  ])('%i: %j exits 2 with a clear message', async (_n, args, message) => {
    const result = await cli(args as string[])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(message)
    expect(result.stderr).not.toMatch(/\n\s+at /) // no stack trace
  })

  it('prints help and version', async () => {
    expect((await cli(['--help'])).stdout).toMatch(/^Usage: image-size-gate compare BASE HEAD/)
    expect((await cli(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+/)
  })
})

describe('parseOptions', () => {
  it('accepts a full set of options', () => {
    const options = parseOptions({
      'base-image': 'docker://ghcr.io/o/a:main',
      'head-image': 'a:pr',
      'max-size': '1GB',
      'size-basis': 'compressed',
    })
    expect(options).toMatchObject({
      base: { transport: 'registry', reference: 'ghcr.io/o/a:main' },
      head: { transport: 'engine', reference: 'a:pr', pull: true },
      budget: { maxSizeBytes: 1e9 },
      basis: 'compressed',
    })
  })

  it('takes insecure registries and platforms as lists', () => {
    const options = parseOptions({
      'head-image': 'docker://registry:5000/app:pr',
      'insecure-registries': 'registry:5000, mirror.local',
      platforms: 'linux/amd64,linux/arm64/v8',
    })
    expect(options.insecureRegistries).toEqual(['registry:5000', 'mirror.local'])
    expect(options.platforms).toEqual([
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
    ])
    expect(() => parseOptions({ 'head-image': 'a', 'insecure-registries': 'http://x' })).toThrow(
      /insecure-registries.*"http:\/\/x".*registry hosts/,
    )
    expect(() => parseOptions({ 'head-image': 'a', platforms: 'amd64' })).toThrow(
      /platforms.*linux\/amd64/,
    )
  })

  it('reports every problem at once, one line each', () => {
    try {
      parseOptions({
        'head-image': '',
        'size-basis': 'zipped',
        'registry-username': 'me',
        'max-increase': '5 %%',
      })
      throw new Error('expected an InputError')
    } catch (error) {
      expect(error).toBeInstanceOf(InputError)
      expect((error as InputError).problems).toEqual([
        expect.stringMatching(
          /^Input "head-image" has the value ""; expected an image reference; it is required\.$/,
        ),
        expect.stringMatching(/^Input "max-increase" has the value "5 %%"/),
        expect.stringMatching(
          /^Input "size-basis" has the value "zipped"; expected "uncompressed" or "compressed"\.$/,
        ),
        expect.stringMatching(
          /^Input "registry-password" has the value ""; expected a value, because registry-username is set\.$/,
        ),
      ])
    }
  })
})
