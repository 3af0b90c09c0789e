/**
 * eStargz layers built the way containerd/stargz-snapshotter's writer lays them out
 * (docs/estargz.md): a gzip member for each stretch of tar headers, a new member at the payload
 * of each non-empty regular file, the TOC `stargz.index.json` as the last tar entry in its own
 * member (followed by the end-of-archive marker), and then the 51-byte footer: an empty gzip
 * member whose Extra field holds the TOC's offset. The concatenation is still one valid gzip.
 */
import { createHash } from 'node:crypto'
import { extract } from 'tar-stream'
import { gzipSync } from 'node:zlib'
import { buildTar, type TarSpec } from './fixtures.js'

const TAR_END_BYTES = 1024

/** The eStargz footer: gzip header with FEXTRA "SG" subfield `%016xSTARGZ`, an empty stored block, empty trailer. */
export function estargzFooter(tocOffset: number): Buffer {
  const header = Buffer.from([0x1f, 0x8b, 0x08, 0x04, 0, 0, 0, 0, 0x00, 0xff])
  const subfield = Buffer.from(`${tocOffset.toString(16).padStart(16, '0')}STARGZ`, 'latin1')
  const extra = Buffer.concat([
    Buffer.from([26, 0]), // XLEN
    Buffer.from('SG', 'latin1'),
    Buffer.from([22, 0]), // LEN
    subfield,
  ])
  const emptyStoredBlock = Buffer.from([0x01, 0x00, 0x00, 0xff, 0xff])
  const trailer = Buffer.alloc(8) // CRC32 and ISIZE of nothing
  return Buffer.concat([header, extra, emptyStoredBlock, trailer])
}

interface Placed {
  name: string
  type: string
  size: number
  /** Where the entry's data starts in the uncompressed tar */
  payload: number
  linkname?: string
}

async function placeEntries(tar: Buffer): Promise<Placed[]> {
  const placed: Placed[] = []
  const reader = extract()
  const done = (async () => {
    for await (const entry of reader) {
      const { name, type, size, linkname } = entry.header
      placed.push({
        name,
        type: type ?? 'file',
        size: size ?? 0,
        payload: entry.offset + 512,
        linkname: linkname ?? undefined,
      })
      entry.resume()
    }
  })()
  reader.end(tar)
  await done
  return placed
}

const TOC_TYPES: Record<string, string> = {
  file: 'reg',
  directory: 'dir',
  symlink: 'symlink',
  link: 'hardlink',
  'character-device': 'char',
  'block-device': 'block',
  fifo: 'fifo',
}

export interface Estargz {
  /** The layer blob as a registry would store it */
  blob: Buffer
  /** The same layer as a plain tar (what gunzip of the blob gives) */
  tar: Buffer
  /** Bytes of the TOC JSON, a regular file of the layer */
  tocBytes: number
}

/** An eStargz layer of `entries`, with the no-prefetch landmark first. */
export async function estargzLayer(entries: TarSpec[]): Promise<Estargz> {
  const landmark: TarSpec = { name: '.no.prefetch.landmark', data: Buffer.from([0xf]) }
  const whole = await buildTar([landmark, ...entries])
  const body = whole.subarray(0, whole.length - TAR_END_BYTES)
  const placed = await placeEntries(whole)
  // A gzip member starts at the top of the blob and at each non-empty regular file's payload.
  const cuts = [0, ...placed.filter((p) => p.type === 'file' && p.size > 0).map((p) => p.payload)]
  const members: Buffer[] = []
  const memberAt = new Map<number, number>()
  let compressed = 0
  cuts.forEach((cut, i) => {
    memberAt.set(cut, compressed)
    const member = gzipSync(body.subarray(cut, cuts[i + 1] ?? body.length))
    members.push(member)
    compressed += member.length
  })
  const toc = {
    version: 1,
    entries: placed.map((p) => ({
      name: p.name,
      type: TOC_TYPES[p.type] ?? p.type,
      ...(p.type === 'file' ? { size: p.size } : {}),
      ...(p.linkname ? { linkName: p.linkname } : {}),
      mode: 0o644,
      ...(memberAt.has(p.payload) && p.size > 0
        ? {
            offset: memberAt.get(p.payload),
            chunkDigest: `sha256:${createHash('sha256')
              .update(body.subarray(p.payload, p.payload + p.size))
              .digest('hex')}`,
          }
        : {}),
    })),
  }
  const tocJson = Buffer.from(JSON.stringify(toc, null, '\t'))
  // The TOC entry and the end-of-archive marker, in a member of their own
  const tocTar = await buildTar([{ name: 'stargz.index.json', data: tocJson }])
  const tocOffset = compressed
  const blob = Buffer.concat([...members, gzipSync(tocTar), estargzFooter(tocOffset)])
  return { blob, tar: Buffer.concat([body, tocTar]), tocBytes: tocJson.length }
}
