import { afterEach, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { ROOT } from '../support/engines.js'
import { getInputs, type Inputs } from '../../src/action/inputs.js'
import { MAX_IMAGES, readImagesInput } from '../../src/action/images-yaml.js'
import { InputError } from '../../src/util/errors.js'

/**
 * The `images` input (issue 10), read through getInputs as the runner sets it (INPUT_<NAME>):
 * the list's shape, the merge over the step's inputs, and one line per problem naming its place.
 */

function inputsWith(inputs: Record<string, string>): Inputs {
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key]
  for (const [name, value] of Object.entries(inputs))
    process.env[`INPUT_${name.toUpperCase()}`] = value
  return getInputs()
}

/** The problem lines of a run with these inputs (fails the test when there are none) */
function problemsWith(inputs: Record<string, string>): string[] {
  try {
    inputsWith(inputs)
  } catch (error) {
    if (error instanceof InputError) return error.problems
    throw error
  }
  throw new Error('expected an InputError')
}

afterEach(() => {
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key]
})

const TWO = `
- name: web
  head-image: app/web:pr
  base-image: app/web:main
- name: api
  head-image: docker://registry.example/api:pr
  max-size: 10MB
  platforms: [linux/amd64, linux/arm64/v8]
  min-efficiency: 0.90
  max-layers: 12
  annotations: false
`

describe('images: valid lists', () => {
  it('1. each image gets its own options, the step inputs are defaults', () => {
    const inputs = inputsWith({ images: TWO, 'max-size': '1GB', 'warn-size': '5MB' })
    const [web, api] = inputs.images ?? []
    expect(inputs.images?.map((i) => i.name)).toEqual(['web', 'api'])
    expect(web.gate.head).toMatchObject({ transport: 'engine', reference: 'app/web:pr' })
    expect(web.gate.base).toMatchObject({ transport: 'engine', reference: 'app/web:main' })
    expect(web.gate.budget.maxSizeBytes).toBe(1e9)
    expect(api.gate.budget.maxSizeBytes).toBe(10e6)
    expect(api.gate.budget.warnSizeBytes).toBe(5e6)
    expect(api.gate.budget.maxLayers).toBe(12)
    expect(api.gate.budget.minEfficiency).toBe(0.9)
    expect(api.gate.base).toBeUndefined()
    expect(api.gate.platforms).toEqual([
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64', variant: 'v8' },
    ])
    expect(web.gate.platforms).toBeUndefined()
  })

  it('2. the comment key defaults to "images"; comment-key wins', () => {
    expect(inputsWith({ images: TWO }).commentKey).toBe('images')
    expect(inputsWith({ images: TWO, 'comment-key': 'sizes' }).commentKey).toBe('sizes')
  })

  it('3. build settings per image: context, a shared dockerfile, build-args as a mapping or list', () => {
    const inputs = inputsWith({
      images: `
- name: web
  context: web
  target: runtime
  build-args: {VERSION: "1.2", LIST: "a,b"}
- name: worker
  context: .
  dockerfile: worker/Dockerfile
  build-args: [MODE=worker]
- name: given
  head-image: app:pr
`,
      dockerfile: 'Dockerfile.shared',
      'build-args': 'FROM_STEP=1',
    })
    const [web, worker, given] = inputs.images ?? []
    expect(web.build).toMatchObject({
      context: 'web',
      dockerfile: 'Dockerfile.shared',
      target: 'runtime',
      buildArgs: { VERSION: '1.2', LIST: 'a,b' },
    })
    expect(web.annotations?.dockerfile).toBe('Dockerfile.shared')
    expect(worker.build).toMatchObject({ context: '.', dockerfile: 'worker/Dockerfile' })
    expect(worker.build?.buildArgs).toEqual({ MODE: 'worker' })
    expect(given.build).toBeUndefined()
    // Not built: the step's dockerfile is the one to annotate.
    expect(given.annotations?.dockerfile).toBe('Dockerfile.shared')
    expect(inputs.build).toBeUndefined()
  })

  it('4. a null value keeps the step input; annotations false turns them off for one image', () => {
    const inputs = inputsWith({
      images: '- name: a\n  head-image: a:1\n  max-size:\n  annotations: false\n  dockerfile: D\n',
      'max-size': '2GB',
    })
    expect(inputs.images?.[0].gate.budget.maxSizeBytes).toBe(2e9)
    expect(inputs.images?.[0].annotations).toBeUndefined()
  })

  it(`5. ${MAX_IMAGES} images are fine`, () => {
    const list = Array.from({ length: MAX_IMAGES }, (_, i) => `- {name: i${i}, head-image: a:${i}}`)
    expect(inputsWith({ images: list.join('\n') }).images).toHaveLength(MAX_IMAGES)
  })
})

describe("images: the README's example", () => {
  it('1. is valid as written (expressions replaced as the runner would)', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
    const section = readme.slice(readme.indexOf('## Several images'), readme.indexOf('## Matrix'))
    const workflow = parse(/```yaml\n([\s\S]*?)```/.exec(section)![1]) as {
      jobs: { size: { steps: Array<{ id?: string; with?: Record<string, string> }> } }
    }
    const step = workflow.jobs.size.steps.find((s) => s.id === 'size')!
    const runner = (text: string) =>
      text
        .replace(/\$\{\{ github\.repository \}\}/g, 'org/repo')
        .replace(/\$\{\{ github\.event\.number \}\}/g, '7')
    const inputs = inputsWith(
      Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, runner(v)])),
    )
    expect(inputs.images?.map((i) => i.name)).toEqual(['web', 'worker', 'api'])
    expect(inputs.images?.[1].build?.buildArgs).toEqual({ MODE: 'worker' })
    expect(inputs.images?.[2].gate.basis).toBe('compressed')
    expect(inputs.images?.[2].gate.budget.maxIncrease).toEqual({ bytes: 5e6 })
    expect(inputs.images?.[0].gate.budget.maxIncrease).toEqual({ bytes: 20e6, percent: 5 })
  })
})

describe('images: every problem, one line each, all together', () => {
  it.each<[number, string, Record<string, string>, string[]]>([
    [
      1,
      'a bad budget names the image and the key',
      { images: '- name: api\n  head-image: a:1\n  max-size: 12XB' },
      ['Input "images[0] (api).max-size" has the value "12XB"; expected a size such as'],
    ],
    [
      2,
      'an unknown key lists the keys',
      { images: '- name: api\n  head-image: a:1\n  max-sise: 1GB' },
      ['Input "images[0] (api).max-sise" has the value "1GB"; expected a key of an image: name,'],
    ],
    [
      3,
      'a step-only input in an item says where it goes',
      { images: '- name: api\n  head-image: a:1\n  registry: ghcr.io' },
      [
        'Input "images[0] (api).registry" has the value "ghcr.io"; expected no registry in an image',
      ],
    ],
    [
      4,
      'a duplicate name names the first',
      { images: '- {name: api, head-image: a:1}\n- {name: api, head-image: b:1}' },
      [
        'Input "images[1] (api).name" has the value "api"; expected a name no other image has (images[0] (api) has it).',
      ],
    ],
    [
      4.5,
      'names that differ only in case (they name report files)',
      { images: '- {name: API, head-image: a:1}\n- {name: api, head-image: b:1}' },
      [
        'Input "images[1] (api).name" has the value "api"; expected a name no other image has (images[0] (API) has it).',
      ],
    ],
    [
      5,
      'a missing name',
      { images: '- head-image: a:1' },
      ['Input "images[0].name" has the value ""; expected a name of 1 to 64 letters'],
    ],
    [
      6,
      'a name unsafe as a key',
      { images: '- {name: "../x y", head-image: a:1}' },
      ['Input "images[0].name" has the value "\\"../x y\\""; expected a name of 1 to 64'],
    ],
    [
      7,
      'an item without an image or a context',
      { images: '- name: api' },
      [
        'Input "images[0] (api).head-image" has the value ""; expected an image reference, or context to build the image',
      ],
    ],
    [
      8,
      'not a list',
      { images: 'name: api\nhead-image: a:1' },
      [
        'Input "images" has the value "name: api\\nhead-image: a:1"; expected a YAML list of images',
      ],
    ],
    [9, 'an empty list', { images: '[]' }, ['expected a YAML list of images', '; at least one.']],
    [10, 'a scalar', { images: '42' }, ['Input "images" has the value "42"; expected a YAML list']],
    [
      11,
      'a syntax error gives its line',
      { images: '- name: a\n  head-image: a:1\n  max-size: [1\n' },
      ['Input "images (line 3)" has the value "max-size: [1"; expected valid YAML ('],
    ],
    [
      12,
      'a key given twice in one item',
      { images: '- name: a\n  head-image: a:1\n  head-image: b:1\n' },
      ['Input "images (line 3)"', 'expected valid YAML (Map keys must be unique'],
    ],
    [
      13,
      'an item that is a scalar',
      { images: '- api' },
      ['Input "images[0]" has the value "api"; expected a mapping with the image\'s name'],
    ],
    [
      14,
      'nested junk as a budget',
      { images: '- name: a\n  head-image: a:1\n  max-size: {deep: [1, {x: y}]}' },
      [
        'Input "images[0] (a).max-size" has the value "{deep: [1, {x: y}]}"; expected one value (text, a number, true or false).',
      ],
    ],
    [
      15,
      'platforms with a mapping inside',
      { images: '- name: a\n  head-image: a:1\n  platforms: [linux/amd64, {a: 1}]' },
      ['Input "images[0] (a).platforms"', 'expected one value or a list of platforms.'],
    ],
    [
      16,
      'images with head-image and context says which to use',
      { images: '- {name: a, head-image: a:1}', 'head-image': 'x:1', context: '.' },
      [
        'Input "head-image" has the value "x:1"; expected to be empty when images is set: give each image its own head-image in images.',
        'Input "context" has the value "."; expected to be empty when images is set: give each image its own context in images.',
      ],
    ],
    [
      17,
      'images in mode aggregate',
      { images: '- {name: a, head-image: a:1}', mode: 'aggregate', reports: 'r' },
      [
        'Input "images" has the value "- {name: a, head-image: a:1}"; expected to be empty in mode aggregate',
      ],
    ],
    [
      18,
      'too many images',
      {
        images: Array.from({ length: MAX_IMAGES + 1 }, (_, i) => `- {name: i${i}}`).join('\n'),
      },
      [
        `Input "images" has the value "${MAX_IMAGES + 1} items"; expected at most ${MAX_IMAGES} images in one run.`,
      ],
    ],
    [
      19,
      'an alias as a value',
      { images: '- &a {name: a, head-image: a:1}\n- name: b\n  head-image: b:1\n  max-size: *a' },
      ['Input "images[1] (b).max-size"', 'expected a value, not an alias.'],
    ],
    [
      20,
      'a context with both images given: nothing to build',
      { images: '- {name: a, head-image: a:1, base-image: a:0, context: .}' },
      [
        'Input "images[0] (a).context" has the value "."; expected to be empty when head-image and base-image are both set',
      ],
    ],
    [
      21,
      'a bad build-args line names the image',
      { images: '- {name: a, context: ., build-args: [NOEQUALS]}' },
      ['Input "images[0] (a).build-args" has the value "NOEQUALS"'],
    ],
    [
      22,
      'an __proto__ key is only an unknown key',
      { images: '- {name: a, head-image: a:1, __proto__: {polluted: true}}' },
      ['Input "images[0] (a).__proto__"', 'expected a key of an image'],
    ],
    [
      23,
      "an image's budget against the step's: the step's value is named as this image's",
      { images: '- {name: a, head-image: a:1, max-size: 10MB}', 'warn-size': '500MB' },
      [
        'Input "images[0] (a).warn-size (from the step)" has the value "500MB"; expected at most max-size (10MB).',
      ],
    ],
  ])('%d. %s', (_n, _what, inputs, expected) => {
    const lines = problemsWith(inputs)
    const text = lines.join('\n')
    for (const part of expected) expect(text).toContain(part)
    for (const line of lines)
      expect(line).toMatch(/^Input "[^"]+" has the value .*; expected .+\.$/)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('24. every image and the step inputs at once; a bad step input is said once, not per image', () => {
    const lines = problemsWith({
      images: [
        '- {name: a, head-image: a:1, max-size: 1XB}',
        '- {name: b, head-image: b:1, warn-increase: lots}',
        '- {name: c, head-image: c:1}',
        '- {name: a, head-image: d:1}',
      ].join('\n'),
      'max-layers': 'many',
    })
    expect(lines).toHaveLength(4)
    expect(lines.filter((l) => l.startsWith('Input "max-layers"'))).toHaveLength(1)
    expect(lines.join('\n')).toMatch(
      /images\[0\] \(a\)\.max-size[\s\S]*images\[1\] \(b\)\.warn-increase/,
    )
    expect(lines.join('\n')).toContain('images[3] (a).name')
  })

  it('25. a password in an item is never quoted', () => {
    const lines = problemsWith({
      images: '- name: a\n  head-image: a:1\n  registry-password: hunter2-secret',
    })
    expect(lines.join('\n')).toContain(
      'Input "images[0] (a).registry-password" has the value "***"',
    )
    expect(lines.join('\n')).not.toContain('hunter2')
    const syntax = problemsWith({ images: '- name: a\n  registry-password: [hunter2' })
    expect(syntax.join('\n')).not.toContain('hunter2')
  })

  it('26. text over the size limit is refused before it is parsed', () => {
    const lines = problemsWith({ images: `# ${'x'.repeat(70_000)}\n- {name: a, head-image: a:1}` })
    expect(lines.join('\n')).toMatch(/expected at most 65536 characters of YAML/)
  })
})

describe('images: fuzz-ish, the reader never throws and names every problem', () => {
  /** A small deterministic PRNG (mulberry32) so a failure is reproducible */
  function random(seed: number): () => number {
    return () => {
      seed = (seed + 0x6d2b79f5) | 0
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296
    }
  }
  const PIECES = [
    '- ',
    'name: ',
    'a',
    'head-image: ',
    'x:1',
    'max-size: ',
    '10MB',
    '\n',
    '  ',
    '[',
    ']',
    '{',
    '}',
    ':',
    ',',
    '&x ',
    '*x',
    '"',
    "'",
    '#',
    '~',
    '!!binary ',
    '? ',
    '|',
    '>',
    '---\n',
    '\t',
    'platforms: ',
    'build-args: ',
    '__proto__: ',
    'null',
    '1e999',
    '-1',
  ]

  it('1. 500 random texts: a list of images or InputError lines, never another error', () => {
    const next = random(20261203)
    for (let n = 0; n < 500; n++) {
      const length = 1 + Math.floor(next() * 40)
      const text = Array.from({ length }, () => PIECES[Math.floor(next() * PIECES.length)]).join('')
      let lines: string[] = []
      try {
        inputsWith({ images: text })
      } catch (error) {
        if (!(error instanceof InputError))
          throw new Error(`${JSON.stringify(text)}: ${String(error)}`, { cause: error })
        lines = error.problems
      }
      for (const line of lines)
        expect(line).toMatch(/^Input "[^"]+" has the value .*; expected .+\.$/)
    }
  })

  it('2. deep nesting is a problem line, not a crash', () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`
    const { problems } = readImagesInput(deep)
    expect(problems.length).toBeGreaterThan(0)
  })
})
