import { describe, expect, test } from '@jest/globals'
import {
  count,
  exactly,
  flag,
  listOf,
  mapOf,
  matching,
  optional,
  shape,
  text,
  validate,
  type Check,
} from '../../src/util/json-check.js'
import { UserError } from '../../src/util/errors.js'

interface Item {
  name: string
  size?: number
  tags?: string[]
}
const item: Check<Item> = shape<Item>({
  name: text,
  size: optional(count),
  tags: optional(listOf(text)),
})

describe('json-check', () => {
  // [#, check, value, the problem ('' when it passes)]
  const cases: Array<[number, Check<unknown>, unknown, string]> = [
    [1, text, 'a', ''],
    [2, text, 3, 'the document is a number, expected a string'],
    [3, count, 0, ''],
    [4, count, 1.5, 'the document is 1.5, expected a non-negative integer'],
    [5, count, -1, 'the document is -1, expected a non-negative integer'],
    [6, count, 2 ** 60, `the document is ${2 ** 60}, expected a non-negative integer`],
    [7, flag, 'true', 'the document is a string, expected a boolean'],
    [8, optional(text), null, ''],
    [9, exactly(2), '2', 'the document is "2", expected 2'],
    [10, exactly(2), {}, 'the document is an object, expected 2'],
    [11, listOf(text), ['a', null], '[1] is null, expected a string'],
    [12, mapOf(text), { 'a.b': 1 }, 'a.b is a number, expected a string'],
    [13, item, { name: 'x', size: '1' }, 'size is a string, expected a non-negative integer'],
    [14, item, { size: 1 }, 'name is missing, expected a string'],
    [15, item, { name: 'x', tags: [1] }, 'tags[0] is a number, expected a string'],
    [16, listOf(item), [{ name: 'a' }, []], '[1] is an array, expected an object'],
    [
      17,
      matching(/^x+$/, 'x-es'),
      'y'.repeat(100),
      `the document is "${'y'.repeat(80)}…", expected x-es`,
    ],
  ]
  test.each(cases)('case %i', (_n, check, value, problem) => {
    let thrown: unknown
    try {
      validate(check, value, 'doc')
    } catch (error: unknown) {
      thrown = error
    }
    if (problem === '') expect(thrown).toBeUndefined()
    else {
      expect(thrown).toBeInstanceOf(UserError)
      expect((thrown as Error).message).toBe(`doc: ${problem}`)
    }
  })

  test('a shape keeps its fields only, and leaves absent ones absent', () => {
    expect(validate(item, { name: 'x', extra: { deep: 1 }, size: null }, 'doc')).toEqual({
      name: 'x',
    })
    expect(Object.keys(validate(item, { name: 'x', tags: [] }, 'doc'))).toEqual(['name', 'tags'])
  })
})
