/**
 * Reads an OCI image layout directory (`oci:DIR`): index.json, manifests and configs with a size
 * cap, and each layer blob measured by streaming the file. Resolution is the archive reader's.
 * https://github.com/opencontainers/image-spec/blob/main/image-layout.md
 */
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { UserError } from '../../util/errors.js'
import { DEFAULT_MAX_JSON_BYTES, hashing, readCappedJson } from './archive-entry.js'
import { drain, serialPull, type Pull } from '../layers/byte-source.js'
import type { ZstdDecoder } from '../layers/decode.js'
import { measureLayer, type LayerStats } from '../layers/layer-content.js'
import { listImages } from './list-images.js'
import { messageOf } from '../layers/tar-scan.js'
import type { ArchiveContents, BlobSource, JsonDocument } from './types.js'

export interface ReadOciDirOptions {
  /** Cap on each JSON document read from the layout, in bytes (default 8 MiB) */
  maxJsonBytes?: number
  zstd?: ZstdDecoder
  /** Names the layout in messages, e.g. `oci:out/layout` (default "OCI layout DIR") */
  label?: string
  /** List every layer's entries (`ArchiveLayer.listing`) for the file analysis */
  list?: boolean
}

/** Layer files are read in pieces of this size */
const READ_CHUNK_BYTES = 1024 * 1024

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile()
  } catch (error: unknown) {
    // not `instanceof Error`: node's errors come from another realm under jest
    if (typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT') {
      return false
    }
    throw error
  }
}

class DirectoryStore implements BlobSource {
  readonly label: string
  /** Layers shared by several images are measured once */
  private readonly measured = new Map<string, Promise<LayerStats>>()

  constructor(
    private readonly dir: string,
    private readonly options: ReadOciDirOptions,
  ) {
    this.label = options.label ?? `OCI layout ${dir}`
  }

  async has(path: string): Promise<boolean> {
    return isFile(join(this.dir, path))
  }

  private async requireFile(path: string, purpose: string): Promise<string> {
    const full = join(this.dir, path)
    if (!(await isFile(full))) throw new UserError(`${this.label} has no ${path} (${purpose})`)
    return full
  }

  async readJson(path: string, purpose: string): Promise<JsonDocument> {
    const full = await this.requireFile(path, purpose)
    const maxBytes = this.options.maxJsonBytes ?? DEFAULT_MAX_JSON_BYTES
    // Streamed rather than stat-then-read, so a file that grows meanwhile still meets the cap.
    const read = await readCappedJson(createReadStream(full), path, maxBytes)
    if (read.kind === 'json') return { value: read.value, digest: read.digest }
    throw new UserError(`${this.label}: ${purpose}: ${read.reason}`)
  }

  measure(path: string, purpose: string): Promise<LayerStats> {
    let stats = this.measured.get(path)
    if (stats === undefined) {
      stats = this.measureFile(path, purpose)
      this.measured.set(path, stats)
    }
    return stats
  }

  private async measureFile(path: string, purpose: string): Promise<LayerStats> {
    const full = await this.requireFile(path, purpose)
    const stream = createReadStream(full, { highWaterMark: READ_CHUNK_BYTES })
    const hashed = hashing(stream)
    const pull = serialPull(hashed.chunks)
    try {
      const stats = await measureLayer(pullSource(pull), {
        subject: path,
        zstd: this.options.zstd,
        list: this.options.list,
      })
      await drain(pull)
      return { ...stats, digest: hashed.digest() }
    } catch (error: unknown) {
      if (!(error instanceof UserError)) throw error
      throw new UserError(`${this.label}: ${purpose}: ${error.message}`, { cause: error })
    } finally {
      stream.destroy()
    }
  }
}

/** Reads the OCI image layout in `dir` and resolves its images (all platforms). */
export async function readOciDir(
  dir: string,
  options: ReadOciDirOptions = {},
): Promise<ArchiveContents> {
  const info = await stat(dir).catch((error: unknown) => {
    throw new UserError(`OCI layout ${dir} cannot be read: ${messageOf(error)}`, {
      cause: error,
    })
  })
  if (!info.isDirectory()) throw new UserError(`OCI layout ${dir} is not a directory`)
  return listImages(new DirectoryStore(dir, options), 'directory')
}

/** What `pull` still has, as an iterable (measureLayer takes one). */
async function* pullSource(pull: Pull): AsyncGenerator<Uint8Array> {
  for (;;) {
    const next = await pull()
    if (next.done) return
    yield next.value
  }
}
