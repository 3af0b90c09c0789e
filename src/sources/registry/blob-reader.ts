/**
 * The layer blobs of one image pair, read from registries: a blob that base and PR share (same
 * digest, so same bytes) is downloaded and measured once, and both images get the same result
 * (the same listing object). Blobs of both images stream at once, a bounded number at a time:
 * downloads overlap, and each decompresses on its own core while the next one arrives.
 */
import { availableParallelism } from 'node:os'
import type { OciDescriptor } from '../../model/oci.js'
import type { Logger } from '../../util/log.js'
import { measureWithRestarts, type BlobStats } from './layer-blobs.js'
import type { RegistryClient } from './registry-client.js'

/** Blobs streamed at once for a pair: one per core, and one more arriving */
export const BLOB_CONCURRENCY = Math.max(2, availableParallelism()) + 1

export interface BlobReaderOptions {
  /** List every layer's entries (`BlobStats.listing`) */
  list: boolean
  /** Blobs streamed at once; default BLOB_CONCURRENCY */
  limit?: number
}

export class BlobReader {
  private readonly read = new Map<string, Promise<BlobStats>>()
  private readonly waiting: Array<() => void> = []
  private running = 0
  /** The first failure: blobs not yet started are not started (the run fails anyway) */
  private failure: { error: unknown } | undefined
  private readonly limit: number

  constructor(private readonly options: BlobReaderOptions) {
    this.limit = options.limit ?? BLOB_CONCURRENCY
  }

  /** What each layer's blob holds, in manifest order. */
  readLayers(client: RegistryClient, layers: OciDescriptor[], log: Logger): Promise<BlobStats[]> {
    return Promise.all(
      layers.map((layer, i) => this.readBlob(client, layer, log, `${i + 1}/${layers.length}`)),
    )
  }

  private readBlob(
    client: RegistryClient,
    layer: OciDescriptor,
    log: Logger,
    position: string,
  ): Promise<BlobStats> {
    let stats = this.read.get(layer.digest)
    if (stats === undefined) {
      stats = this.whenFree(async () => {
        const started = Date.now()
        const found = await measureWithRestarts(client, layer, log, this.options.list)
        log.debug(
          `${client.registry}: layer ${position} ${layer.digest}: ${layer.size} bytes stored, ${found.contentBytes} bytes of content (${Date.now() - started} ms)`,
        )
        return found
      })
      this.read.set(layer.digest, stats)
    } else {
      log.debug(`${client.registry}: layer ${position} ${layer.digest}: read once for both images`)
    }
    return stats
  }

  private async whenFree<T>(task: () => Promise<T>): Promise<T> {
    if (this.running < this.limit) this.running += 1
    else await new Promise<void>((resolve) => this.waiting.push(resolve))
    try {
      if (this.failure) throw this.failure.error
      return await task()
    } catch (error: unknown) {
      this.failure ??= { error }
      throw error
    } finally {
      // The slot passes to the next waiting blob, or is given back.
      const next = this.waiting.shift()
      if (next) next()
      else this.running -= 1
    }
  }
}
