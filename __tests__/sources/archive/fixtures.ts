/**
 * Synthetic layers and image archives for the archive reader tests, built in memory with
 * tar-stream's pack. Deterministic: fixed mtimes and hash-derived "random" bytes, so the committed
 * zstd fixture (__tests__/fixtures/archive/sample-layer.tar.zst) stays the zstd of sampleLayer().
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { Readable } from 'node:stream'
import { gzipSync } from 'node:zlib'
import { pack, type Header } from 'tar-stream'

export type TarSpec = Partial<Header> & { name: string; data?: Buffer | string }

const EPOCH = new Date(0)

/** A tar built by tar-stream's pack, with its end-of-archive marker. */
export async function buildTar(entries: TarSpec[]): Promise<Buffer> {
  const packer = pack()
  for (const { data, ...header } of entries) {
    const full = { mtime: EPOCH, mode: header.type === 'directory' ? 0o755 : 0o644, ...header }
    if (data === undefined) packer.entry(full)
    else packer.entry(full, data)
  }
  packer.finalize()
  const chunks: Buffer[] = []
  for await (const chunk of packer) {
    if (!Buffer.isBuffer(chunk)) throw new TypeError('pack gave a non-Buffer chunk')
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}

/** `n` bytes that look random and compress badly, the same on every run. */
export function pseudoRandom(n: number, seed: string): Buffer {
  const blocks: Buffer[] = []
  for (let i = 0; blocks.length * 32 < n; i++) {
    blocks.push(createHash('sha256').update(`${seed}:${i}`).digest())
  }
  return Buffer.concat(blocks).subarray(0, n)
}

export function sha256(data: Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`
}

export const LONG_TARGET = `/opt/${'deep/'.repeat(30)}target`
export const LONG_NAME = `app/${'long-directory-name/'.repeat(8)}file.bin`

/**
 * Every kind of entry the content size definition treats differently, and its expected size:
 * files count their size, symlinks their target's byte length, the rest 0.
 */
export const SAMPLE_ENTRIES: Array<TarSpec & { counts: number }> = [
  { name: 'app', type: 'directory', counts: 0 },
  { name: 'app/x', data: 'hi\n', counts: 3 },
  { name: 'app/y', type: 'symlink', linkname: '/app/x', counts: 6 },
  { name: 'app/z', type: 'link', linkname: 'app/x', counts: 0 },
  { name: 'app/.wh.gone', data: '', counts: 0 },
  { name: 'app/d/.wh..wh..opq', data: '', counts: 0 },
  { name: 'dev/null', type: 'character-device', devmajor: 1, devminor: 3, counts: 0 },
  { name: 'run/pipe', type: 'fifo', counts: 0 },
  // non-ASCII target in a ustar header: 2 raw bytes
  { name: 'app/e', type: 'symlink', linkname: 'é', counts: 2 },
  // non-ASCII name: tar-stream writes a pax header, the target comes back as UTF-8 (5 bytes)
  { name: 'app/ü', type: 'symlink', linkname: 'é/ö', counts: 5 },
  { name: 'app/long', type: 'symlink', linkname: LONG_TARGET, counts: LONG_TARGET.length },
  { name: LONG_NAME, data: pseudoRandom(1000, 'long'), counts: 1000 },
  { name: 'app/random.bin', data: pseudoRandom(5000, 'random'), counts: 5000 },
  { name: 'app/zeros', data: Buffer.alloc(20000), counts: 20000 },
]

export const SAMPLE_CONTENT_BYTES = SAMPLE_ENTRIES.reduce((sum, entry) => sum + entry.counts, 0)

export function sampleLayer(): Promise<Buffer> {
  return buildTar(SAMPLE_ENTRIES.map(({ counts: _counts, ...spec }) => spec))
}

export function sampleZstdFixture(): Buffer {
  return readFileSync(new URL('../../fixtures/archive/sample-layer.tar.zst', import.meta.url))
}

/** A small second layer: one file of `bytes` bytes. */
export function smallLayer(name: string, bytes: number): Promise<Buffer> {
  return buildTar([{ name, data: pseudoRandom(bytes, name) }])
}

/** `data` as a stream of `size`-byte chunks (the last may be shorter). */
export function chunked(data: Buffer, size: number): Readable {
  function* pieces(): Generator<Buffer> {
    for (let offset = 0; offset < data.length; offset += size) {
      yield data.subarray(offset, offset + size)
    }
  }
  return Readable.from(pieces())
}

/** Whole, then in odd chunk sizes, as STYLE.md asks of tar reading. */
export const CHUNK_SIZES = [Number.MAX_SAFE_INTEGER, 1, 7, 4093]

export function gzip(data: Buffer): Buffer {
  return gzipSync(data)
}

export function json(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value))
}
