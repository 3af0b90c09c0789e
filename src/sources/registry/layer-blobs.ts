/**
 * Content sizes of layer blobs, streamed from the registry through the archive reader's layer
 * measurer: each blob goes by once, chunk by chunk, and is never held whole. Every byte is also
 * hashed, so a measured size belongs to the blob the manifest names. A blob whose stream breaks
 * off (and cannot be resumed by the transport) is measured again from its start, a few times,
 * rather than taken for a corrupt layer.
 */
import type { Hash } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { LayerListing } from '../../model/files.js'
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

/** Times one blob is streamed at most when its stream keeps breaking off */
export const BLOB_TRIES = 3

/** What streaming one layer blob found */
export interface BlobStats {
  /** Content bytes (basis `uncompressed`) */
  contentBytes: number
  /** Every entry of the layer, when asked to list */
  listing?: LayerListing
}

interface Tally {
  bytes: number
}

/** A blob's stream that broke off part way; measuring it again from the start may succeed. */
class BlobCutError extends UserError {
  override name = 'BlobCutError'
}

/** Streams one blob, again from its start when the stream breaks off (a few times). */
export async function measureWithRestarts(
  client: RegistryClient,
  layer: OciDescriptor,
  log: Logger,
  list = false,
): Promise<BlobStats> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await readLayerBlob(client, layer, list)
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

/** Content bytes of one layer blob, streamed once. */
export async function measureLayerBlob(
  client: RegistryClient,
  layer: OciDescriptor,
): Promise<number> {
  return (await readLayerBlob(client, layer, false)).contentBytes
}

async function readLayerBlob(
  client: RegistryClient,
  layer: OciDescriptor,
  list: boolean,
): Promise<BlobStats> {
  const what = `layer ${layer.digest}`
  const hash = hashFor(layer.digest, what)
  const response = await client.get(`blobs/${layer.digest}`, { what })
  if (!response.body) throw new UserError(`The registry ${client.registry} sent ${what} empty`)
  const tally: Tally = { bytes: 0 }
  const chunks = hashChunks(response.body, hash, tally, layer.size, what)
  try {
    const stats = await measureLayer(chunks, { subject: `${client.registry} ${what}`, list })
    // The measurer stops at the tar's end marker; the rest (padding) still counts for the digest.
    while (!(await chunks.next()).done) {
      // hashed and dropped by hashChunks
    }
    checkBlob(hash, tally, layer, `${client.registry} ${what}`)
    return stats.listing
      ? { contentBytes: stats.contentBytes, listing: stats.listing }
      : { contentBytes: stats.contentBytes }
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
