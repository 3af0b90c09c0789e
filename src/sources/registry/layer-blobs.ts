/**
 * Content sizes of layer blobs, streamed from the registry through the archive reader's layer
 * measurer: each blob goes by once, chunk by chunk, and is never held whole. Every byte is also
 * hashed, so a measured size belongs to the blob the manifest names. A blob whose stream breaks
 * off (and cannot be resumed by the transport) is measured again from its start, a few times,
 * rather than taken for a corrupt layer.
 */
import type { Hash } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { OciDescriptor } from '../../model/oci.js'
import type { Logger } from '../../util/log.js'
import { UserError } from '../../util/errors.js'
import { measureLayer } from '../layers/layer-content.js'
import { hashFor } from './digest.js'
import type { RegistryClient } from './registry-client.js'
import {
  backoffMs,
  DEFAULT_RETRY_POLICY,
  formatSeconds,
  transientReason,
  TransientNetworkError,
} from './retry-policy.js'

/** Blobs measured at once: downloads overlap, and gunzip runs while the next blob arrives. */
const CONCURRENCY = 3
/** Times one blob is streamed at most when its stream keeps breaking off */
export const BLOB_TRIES = 3

/** Content bytes (basis `uncompressed`) of each layer, in manifest order. */
export async function measureLayerBlobs(
  client: RegistryClient,
  layers: OciDescriptor[],
  log: Logger,
): Promise<number[]> {
  return mapLimit(layers, CONCURRENCY, async (layer, i) => {
    const started = Date.now()
    const bytes = await measureWithRestarts(client, layer, log)
    log.debug(
      `${client.registry}: layer ${i + 1}/${layers.length} ${layer.digest}: ${layer.size} bytes stored, ${bytes} bytes of content (${Date.now() - started} ms)`,
    )
    return bytes
  })
}

interface Tally {
  bytes: number
}

/** A blob's stream that broke off part way; measuring it again from the start may succeed. */
class BlobCutError extends UserError {
  override name = 'BlobCutError'
}

async function measureWithRestarts(
  client: RegistryClient,
  layer: OciDescriptor,
  log: Logger,
): Promise<number> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await measureLayerBlob(client, layer)
    } catch (error: unknown) {
      if (!(error instanceof BlobCutError)) throw error
      if (attempt >= BLOB_TRIES) {
        throw new UserError(`${error.message}; gave up after ${BLOB_TRIES} tries`, { cause: error })
      }
      const wait = backoffMs(attempt, DEFAULT_RETRY_POLICY)
      log.info(
        `${error.message}; measuring it again from the start in ${formatSeconds(wait)} (${attempt} of ${BLOB_TRIES - 1})`,
      )
      await sleep(wait)
    }
  }
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
    const reason = transientReason(error)
    if (reason === undefined) throw error
    throw new BlobCutError(
      `The registry ${client.registry} broke off ${what} after ${tally.bytes} of ${layer.size} bytes (${reason})`,
      { cause: error },
    )
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
  // A body that ends early without an error (no Content-Length to hold it to) is cut as well:
  // said here, before the measurer takes the missing end for a corrupt layer.
  if (tally.bytes < size) throw new TransientNetworkError('ended early')
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
