/**
 * The `images` input's YAML (issue 10): the list's shape, each item's name and keys, and each
 * value as the text an input of that name would hold. Every problem is named by its place
 * (`images[1] (api).colour`, `images (line 3)`) and collected, never thrown; images-input.ts
 * then validates each image's values with parseOptions.
 */
import { isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml'
import { problem } from '../budget/budget.js'
import type { ActionInputName } from '../inputs-table.js'
import type { InputProblem } from '../util/errors.js'

/** Most images in one run: each is read in turn, and the comment has a row and a section each */
export const MAX_IMAGES = 50
/** Longest `images` text read (characters); 50 images with every key fit in far less */
export const MAX_IMAGES_CHARS = 64 * 1024

/** What an item may set besides `name`: the action's inputs of the same name, for this image */
export const IMAGE_KEYS = [
  'head-image',
  'base-image',
  'base-missing',
  'context',
  'dockerfile',
  'target',
  'build-args',
  'cache-from',
  'cache-to',
  'max-size',
  'warn-size',
  'max-increase',
  'warn-increase',
  'max-layers',
  'max-drift',
  'warn-drift',
  'file-analysis',
  'max-reclaimable',
  'max-reclaimable-increase',
  'min-efficiency',
  'max-wasted-bytes',
  'max-wasted-user-percent',
  'dive-ci',
  'secrets',
  'platforms',
  'size-basis',
  'annotations',
] as const satisfies readonly ActionInputName[]
export type ImageKey = (typeof IMAGE_KEYS)[number]

/** A name is the image's output key, comment row and report file name: kept plain */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/

/** One item as written: the keys it sets, as the text an input of that name would hold. */
export interface RawImageItem {
  name: string
  /** The item in messages: `images[1] (api)`, counted from 0 */
  path: string
  values: Partial<Record<ImageKey, string>>
}

/** The list's shape: items, names and keys; every problem found, none thrown. */
export function readImagesInput(text: string): {
  items: RawImageItem[]
  problems: InputProblem[]
} {
  const problems: InputProblem[] = []
  if (text.length > MAX_IMAGES_CHARS) {
    problems.push(
      problem('images', excerpt(text), `at most ${MAX_IMAGES_CHARS} characters of YAML`),
    )
    return { items: [], problems }
  }
  const doc = parseYaml(text, problems)
  if (!doc) return { items: [], problems }
  const list = doc.contents
  if (!isSeq(list)) {
    problems.push(problem('images', excerpt(text), LIST_EXPECTED))
    return { items: [], problems }
  }
  if (list.items.length === 0)
    problems.push(problem('images', excerpt(text), `${LIST_EXPECTED}; at least one`))
  if (list.items.length > MAX_IMAGES) {
    problems.push(
      problem('images', `${list.items.length} items`, `at most ${MAX_IMAGES} images in one run`),
    )
    return { items: [], problems }
  }
  const items: RawImageItem[] = []
  const names = new Map<string, string>()
  list.items.forEach((node, index) => {
    const item = readItem(node as Node, index, text, problems)
    if (!item) return
    // Case aside: the names become report file names, and some file systems ignore case.
    const first = names.get(item.name.toLowerCase())
    if (first)
      problems.push(
        problem(`${item.path}.name`, item.name, `a name no other image has (${first} has it)`),
      )
    else names.set(item.name.toLowerCase(), item.path)
    items.push(item)
  })
  return { items, problems }
}

/** The document, or undefined with a problem per syntax error (its line quoted, never a password) */
function parseYaml(text: string, problems: InputProblem[]): Document | undefined {
  let doc
  try {
    doc = parseDocument(text, { uniqueKeys: true })
  } catch (error) {
    // The parser's own limits (e.g. nesting deep enough to exhaust the stack)
    problems.push(problem('images', excerpt(text), `YAML this action can read (${String(error)})`))
    return undefined
  }
  for (const error of doc.errors) {
    const line = error.linePos?.[0].line
    const where = line ? `images (line ${line})` : 'images'
    const source = line ? (text.split(/\r?\n/)[line - 1] ?? '') : excerpt(text)
    const shown = SECRET_KEY.test(source) ? '***' : source.trim()
    const message = error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')
    problems.push(problem(where, shown, `valid YAML (${message})`))
  }
  return doc.errors.length > 0 ? undefined : doc
}

const LIST_EXPECTED =
  'a YAML list of images, each a mapping with a name and its inputs (e.g. "- name: api")'

function readItem(
  node: Node | null,
  index: number,
  text: string,
  problems: InputProblem[],
): RawImageItem | undefined {
  const at = `images[${index}]`
  if (!isMap(node)) {
    problems.push(problem(at, nodeText(node, text), ITEM_EXPECTED))
    return undefined
  }
  const nameNode = node.items.find((p) => isScalar(p.key) && p.key.value === 'name')?.value
  const nameText = isScalar(nameNode) ? String(nameNode.value ?? '') : ''
  const validName = isScalar(nameNode) && NAME.test(nameText)
  const path = validName ? `${at} (${nameText})` : at
  if (!validName)
    problems.push(
      problem(`${at}.name`, nameNode ? nodeText(nameNode as Node, text) : '', NAME_EXPECTED),
    )
  const values: Partial<Record<ImageKey, string>> = {}
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : nodeText(pair.key as Node, text)
    if (key === 'name') continue
    const value = pair.value as Node | null
    if (!(IMAGE_KEYS as readonly string[]).includes(key)) {
      const shown = SECRET_KEY.test(key) ? '***' : nodeText(value, text)
      problems.push(problem(`${path}.${key}`, shown, unknownKey(key)))
      continue
    }
    const read = readValue(key as ImageKey, value, text)
    if (typeof read === 'object')
      problems.push(problem(`${path}.${key}`, nodeText(value, text), read.expected))
    else if (read !== undefined) values[key as ImageKey] = read
  }
  return validName ? { name: nameText, path, values } : undefined
}

const ITEM_EXPECTED = "a mapping with the image's name and inputs (name: api, head-image: …)"
const NAME_EXPECTED =
  'a name of 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit; it is required'

function unknownKey(key: string): string {
  if (STEP_ONLY.includes(key))
    return `no ${key} in an image: it is an input of the step, for every image (set it beside images)`
  return `a key of an image: name, ${IMAGE_KEYS.join(', ')}`
}

/** A key (or a line) that may hold a password or token: its value is never quoted */
const SECRET_KEY = /password|token/i

/** Inputs of the step a user may try to set per image: named as such in the message */
const STEP_ONLY = [
  'registry',
  'registry-username',
  'registry-password',
  'insecure-registries',
  'github-token',
  'comment-key',
  'build-network',
  'comment',
  'mode',
]

/**
 * A value as the input's text: a scalar as written (null: not set, the step's input applies);
 * a list for platforms and build-args; a mapping of build arguments. Anything else: expected.
 */
function readValue(
  key: ImageKey,
  node: Node | null,
  text: string,
): string | undefined | { expected: string } {
  if (node === null || (isScalar(node) && node.value === null)) return undefined
  if (isAlias(node)) return { expected: 'a value, not an alias' }
  if (isScalar(node)) return scalarText(node, text)
  if (key === 'platforms' && isSeq(node) && node.items.every(isScalar))
    return node.items.map((n) => scalarText(n as Node, text)).join(',')
  if (key === 'build-args' && isSeq(node) && node.items.every(isScalar))
    return node.items.map((n) => quoteArg(scalarText(n as Node, text))).join('\n')
  if (key === 'build-args' && isMap(node) && node.items.every((p) => isScalar(p.key)))
    if (node.items.every((p) => p.value === null || isScalar(p.value)))
      return node.items
        .map((p) => {
          const value = p.value === null ? '' : scalarText(p.value as Node, text)
          return quoteArg(`${String((p.key as { value: unknown }).value)}=${value}`)
        })
        .join('\n')
  const forms =
    key === 'platforms'
      ? 'one value or a list of platforms'
      : key === 'build-args'
        ? 'KEY=VALUE lines, a list of them, or a mapping of names to values'
        : 'one value (text, a number, true or false)'
  return { expected: forms }
}

/** A scalar's text: numbers as written (0.90 stays 0.90), the rest as YAML reads them. */
function scalarText(node: Node, text: string): string {
  if (!isScalar(node)) return ''
  if (typeof node.value === 'number' && node.range) return text.slice(node.range[0], node.range[1])
  return String(node.value ?? '')
}

/** One build argument on its own line: quoted when a comma would split it (build-args.ts) */
function quoteArg(item: string): string {
  return item.includes(',') || item.startsWith('"') ? `"${item.replace(/"/g, '""')}"` : item
}

function nodeText(node: Node | null | undefined, text: string): string {
  if (!node?.range) return ''
  return excerpt(text.slice(node.range[0], node.range[1]))
}

/** The text quoted in a message: trimmed, cut at 200 characters, never a password's line */
function excerpt(text: string): string {
  if (SECRET_KEY.test(text)) return '***'
  const trimmed = text.trim()
  return trimmed.length > 200 ? `${trimmed.slice(0, 200)}…` : trimmed
}
