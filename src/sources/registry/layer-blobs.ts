/**
 * Content sizes of layer blobs, streamed from the registry through the archive reader's layer
 * measurer: each blob goes by once, chunk by chunk, and is never held whole. Every byte is also
 * hashed, so a measured size belongs to the blob the manifest names.
 */
import type { Hash } from 'node:crypto'
import type { OciDescriptor } from '../../model/oci.js'
import type { Logger } from '../../util/log.js'
import { UserError } from '../../util/errors.js'
import { measureLayer } from '../archive/layer-content.js'
import { hashFor } from './digest.js'
import type { RegistryClient } from './registry-client.js'

/** Blobs measured at once: downloads overlap, and gunzip runs while the next blob arrives. */
const CONCURRENCY = 3

/** Content bytes (basis `uncompressed`) of each layer, in manifest order. */
export async function measureLayerBlobs(
  client: RegistryClient,
  layers: OciDescriptor[],
  log: Logger,
): Promise<number[]> {
  return mapLimit(layers, CONCURRENCY, async (layer, i) => {
    const started = Date.now()
    const bytes = await measureLayerBlob(client, layer)
    log.debug(
      `${client.registry}: layer ${i + 1}/${layers.length} ${layer.digest}: ${layer.size} bytes stored, ${bytes} bytes of content (${Date.now() - started} ms)`,
    )
    return bytes
  })
}

interface Tally {
  bytes: number
}

export async function measureLayerBlob(
  client: RegistryClient,
  layer: OciDescriptor,
): Promise<number> {
  const what = `layer ${layer.digest}`
  const hash = hashFor(layer.digest, what)
  const response = await client.get(`blobs/${layer.digest}`, { what })
  if (!response.body) throw new UserError(`The registry ${client.registry} sent ${what} empty`)
  const tally: Tally = { bytes: 0 }
  const chunks = hashChunks(response.body, hash, tally, layer.size, what)
  try {
    const stats = await measureLayer(chunks, { subject: `${client.registry} ${what}` })
    // The measurer stops at the tar's end marker; the rest (padding) still counts for the digest.
    while (!(await chunks.next()).done) {
      // hashed and dropped by hashChunks
    }
    checkBlob(hash, tally, layer, `${client.registry} ${what}`)
    return stats.contentBytes
  } catch (error: unknown) {
    await chunks.return(undefined)
    throw error
  }
}

async function* hashChunks(
  body: AsyncIterable<Uint8Array>,
  hash: Hash,
  tally: Tally,
  size: number,
  what: string,
): AsyncGenerator<Uint8Array, void, undefined> {
  for await (const chunk of body) {
    tally.bytes += chunk.length
    if (tally.bytes > size) {
      throw new UserError(`${what} is longer than the ${size} bytes its manifest gives`)
    }
    hash.update(chunk)
    yield chunk
  }
}

function checkBlob(hash: Hash, tally: Tally, layer: OciDescriptor, what: string): void {
  if (tally.bytes !== layer.size) {
    throw new UserError(`${what} is ${tally.bytes} bytes, its manifest gives ${layer.size}`)
  }
  const actual = `${layer.digest.slice(0, layer.digest.indexOf(':'))}:${hash.digest('hex')}`
  if (actual !== layer.digest) throw new UserError(`${what} does not match its digest (${actual})`)
}

/** `fn` over `items`, at most `limit` at a time; the first failure stops new work. */
async function mapLimit<T, R>(
  items: T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = []
  let next = 0
  let failed = false
  const worker = async (): Promise<void> => {
    while (next < items.length && !failed) {
      const index = next
      next += 1
      try {
        results[index] = await fn(items[index], index)
      } catch (error: unknown) {
        failed = true
        throw error
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}
