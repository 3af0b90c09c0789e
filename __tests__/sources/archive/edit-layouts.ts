/**
 * Editing the JSON documents of the test layouts (layouts.ts) while keeping every digest right:
 * for tests of configs, manifests and indexes with fields of the wrong type.
 */
import { json, sha256 } from './fixtures.js'
import { layoutTar, legacyLayout, type Layout } from './layouts.js'

export type Doc = Record<string, unknown> & { [key: string]: unknown }
export type Edit = (doc: Doc) => unknown

function find(layout: Layout, path: string): Buffer {
  const entry = layout.find(([name]) => name === path)
  if (!entry) throw new Error(`no ${path} in the layout`)
  return entry[1]
}

function parse(data: Buffer): Doc {
  return JSON.parse(data.toString('utf8')) as Doc
}

function put(layout: Layout, path: string, data: Buffer): Layout {
  return [...layout.filter(([name]) => name !== path), [path, data]]
}

function blobPath(digest: string): string {
  return `blobs/sha256/${digest.slice(7)}`
}

/** Stores `value` as a blob and points `descriptor` at it. */
function rewriteBlob(layout: Layout, descriptor: Doc, value: unknown): Layout {
  const data = json(value)
  descriptor.digest = sha256(data)
  descriptor.size = data.length
  return put(layout, blobPath(sha256(data)), data)
}

/** Edits an OCI layout's index, its (first) manifest or that manifest's config, keeping digests right. */
export function editOci(layout: Layout, part: 'index' | 'manifest' | 'config', edit: Edit): Layout {
  const index = parse(find(layout, 'index.json'))
  const [descriptor] = index.manifests as Doc[]
  const manifest = parse(find(layout, blobPath(descriptor.digest as string)))
  let out = layout
  if (part === 'config') {
    const configDesc = manifest.config as Doc
    const config = parse(find(layout, blobPath(configDesc.digest as string)))
    out = rewriteBlob(out, configDesc, edit(config) ?? config)
  }
  if (part !== 'index') {
    const edited = part === 'manifest' ? (edit(manifest) ?? manifest) : manifest
    out = rewriteBlob(out, descriptor, edited)
  }
  const finalIndex = part === 'index' ? (edit(index) ?? index) : index
  return put(out, 'index.json', json(finalIndex))
}

/** Edits a legacy save's manifest.json or config (whose name is its digest). */
export async function editLegacy(part: 'manifest' | 'config', edit: Edit): Promise<Buffer> {
  const { layout, links } = await legacyLayout()
  const manifest = parse(find(layout, 'manifest.json')) as unknown as Doc[]
  if (part === 'manifest') {
    const edited = edit(manifest as unknown as Doc) ?? manifest
    return layoutTar(put(layout, 'manifest.json', json(edited)), links)
  }
  const configName = manifest[0].Config as string
  const config = parse(find(layout, configName))
  return layoutTar(put(layout, configName, json(edit(config) ?? config)), links)
}
