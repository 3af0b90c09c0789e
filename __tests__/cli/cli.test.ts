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

const POINTER = 'Run "image-size-gate --help" for the options.'

describe("CLI usage: argument mistakes in the tool's own words", () => {
  it.each([
    [1, [], ['no command given; usage: image-size-gate compare BASE HEAD']],
    [
      2,
      ['diff', 'a', 'b'],
      [
        'unknown command "diff"; the commands are compare (image-size-gate compare BASE HEAD) and history (image-size-gate history OWNER/REPO)',
      ],
    ],
    [
      3,
      ['compare', 'a'],
      ['compare needs two images, BASE and HEAD; got only "a" (BASE may be "none")'],
    ],
    [4, ['compare'], ['compare needs two images, BASE and HEAD; got none (BASE may be "none")']],
    [
      5,
      ['compare', 'a', 'b', 'c'],
      ['unexpected argument "c": compare takes two images, BASE and HEAD'],
    ],
    [6, ['compare', 'a', 'b', '--nope'], ['unknown option --nope']],
    [
      7,
      ['compare', 'a', 'b', '--max-sise', '1GB'],
      ['unknown option --max-sise; did you mean --max-size?'],
    ],
    [
      8,
      ['compare', 'a', 'b', '--max-inc=5%'],
      ['unknown option --max-inc; did you mean --max-increase?'],
    ],
    [9, ['compare', 'a', 'b', '-x'], ['unknown option -x']],
    [10, ['compare', 'a', 'b', '--max-size'], ['option --max-size needs a value']],
    [
      11,
      ['compare', 'a', 'b', '--max-size', '--format', 'json'],
      [
        'option --max-size needs a value, but "--format" follows it (write --max-size=--format if that is the value)',
      ],
    ],
    [12, ['compare', 'a', 'b', '--version=2'], ['option --version takes no value (got "2")']],
    [
      13,
      ['compare', 'a', 'b', '--nope', '--warn-size', '-q'],
      [
        'unknown option --nope',
        'option --warn-size needs a value, but "-q" follows it (write --warn-size=-q if that is the value)',
      ],
    ],
  ])('%i: %j exits 2, one line per mistake and a pointer to --help', async (_n, args, lines) => {
    const result = await cli(args as string[])
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: [...(lines as string[]).map((l) => `image-size-gate: ${l}`), POINTER, ''].join('\n'),
    })
  })

  it("never shows parseArgs' own text, whatever the mistake", async () => {
    // HEAD is never a valid reference here: no mistake that gets past the parser reads an image.
    const mistakes = [
      ['--'],
      ['compare', '--', '--max-size'],
      ['-qz'],
      ['-Q', 'compare'],
      ['--max-size=', 'compare', 'a'],
      ['compare', 'a', 'NOT A REF', '--format'],
      ['compare', 'a', 'NOT A REF', '--format=', '--max-layers', '-1'],
      ['compare', 'a', 'NOT A REF', '--platforms', '-'],
      ['--=x'],
      ['---'],
      ['-'],
    ]
    for (const args of mistakes) {
      const result = await cli(args)
      const context = JSON.stringify({ args, ...result })
      expect([result.code, context]).toEqual([2, context])
      expect([result.stderr, context]).not.toEqual([
        expect.stringMatching(/ERR_PARSE_ARGS|To specify|argument missing|ambiguous|\n\s+at /),
        context,
      ])
      for (const line of result.stderr.trimEnd().split('\n'))
        expect([line, context]).toEqual([
          expect.stringMatching(/^image-size-gate: |^Run "/),
          context,
        ])
    }
  })

  it('lets --help and --version win over mistakes on the same line', async () => {
    const help = await cli(['compare', '--nope', '--help'])
    expect([help.code, help.stderr]).toEqual([0, ''])
    expect(help.stdout).toMatch(/^Usage: image-size-gate compare BASE HEAD/)
    expect(await cli(['-v', '--max-size'])).toEqual({
      code: 0,
      stdout: expect.stringMatching(/^\d+\.\d+\.\d+/),
      stderr: '',
    })
  })

  it('reports bad values of known options as before: every one, exit 2, no pointer', async () => {
    const result = await cli(['compare', 'a', 'NOT A REF', '--max-size', '12XB', '--format', 'xml'])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(
      /^image-size-gate: Option --format has the value "xml"; expected text, markdown or json\.\n$/,
    )
    const values = await cli([
      'compare',
      'a',
      'NOT A REF',
      '--max-size',
      '12XB',
      '--max-layers',
      '0',
    ])
    expect(values.stderr).toMatch(
      /^image-size-gate: .*head-image.*"NOT A REF"[\s\S]*image-size-gate: Option --max-size.*"12XB"[\s\S]*image-size-gate: Option --max-layers.*"0"/,
    )
    expect(values.stderr).not.toContain(POINTER)
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
