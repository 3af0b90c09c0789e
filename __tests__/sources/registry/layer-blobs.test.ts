import { describe, expect, it } from '@jest/globals'
import { gzipSync } from 'node:zlib'
import { pack } from 'tar-stream'
import type { OciDescriptor } from '../../../src/model/oci.js'
import { measureLayerBlob } from '../../../src/sources/registry/layer-blobs.js'
import { RegistryClient } from '../../../src/sources/registry/registry-client.js'
import { silentLogger } from '../../../src/util/log.js'
import { bytesResponse, fakeFetch, sha256 } from './fake-fetch.js'

/** A gzipped layer: a 1000-byte file, a symlink (target 9 bytes) and a directory. */
async function gzipLayer(): Promise<Buffer> {
  const tar = pack()
  tar.entry({ name: 'app/', type: 'directory' })
  tar.entry({ name: 'app/data.bin', size: 1000 }, Buffer.alloc(1000, 7))
  tar.entry({ name: 'app/link', type: 'symlink', linkname: 'data.bin2' })
  tar.finalize()
  const chunks: Buffer[] = []
  for await (const chunk of tar) chunks.push(chunk as Buffer)
  return gzipSync(Buffer.concat(chunks))
}

/** Serves `body` in small chunks, as a network would. */
function chunked(body: Buffer): Response {
  let offset = 0
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= body.length) return controller.close()
      controller.enqueue(body.subarray(offset, offset + 333))
      offset += 333
    },
  })
  return new Response(stream)
}

function client(routes: Parameters<typeof fakeFetch>[0]): RegistryClient {
  return new RegistryClient({
    registry: 'reg.example',
    repository: 'app',
    credentials: undefined,
    fetch: fakeFetch(routes).fetch,
    log: silentLogger,
  })
}

describe('measureLayerBlob', () => {
  it('streams a gzip layer in odd chunks and counts its content', async () => {
    const blob = await gzipLayer()
    const layer: OciDescriptor = { mediaType: 'x', digest: sha256(blob), size: blob.length }
    const url = `GET https://reg.example/v2/app/blobs/${layer.digest}`
    expect(await measureLayerBlob(client({ [url]: () => chunked(blob) }), layer)).toBe(1009)
  })

  it('refuses a blob whose bytes are not the digest or size of the manifest', async () => {
    const blob = await gzipLayer()
    const wrongDigest: OciDescriptor = {
      mediaType: 'x',
      digest: `sha256:${'0'.repeat(64)}`,
      size: blob.length,
    }
    const served = {
      [`GET https://reg.example/v2/app/blobs/${wrongDigest.digest}`]: () => chunked(blob),
    }
    await expect(measureLayerBlob(client(served), wrongDigest)).rejects.toThrow(
      /does not match its digest/,
    )
    const short: OciDescriptor = { mediaType: 'x', digest: sha256(blob), size: blob.length - 1 }
    const shortRoutes = {
      [`GET https://reg.example/v2/app/blobs/${short.digest}`]: () => chunked(blob),
    }
    await expect(measureLayerBlob(client(shortRoutes), short)).rejects.toThrow(
      `is longer than the ${blob.length - 1} bytes its manifest gives`,
    )
  })

  it('passes on the layer reader’s error for a blob that is not a tar', async () => {
    const blob = gzipSync(Buffer.from('not a tar at all'))
    const layer: OciDescriptor = { mediaType: 'x', digest: sha256(blob), size: blob.length }
    const routes = {
      [`GET https://reg.example/v2/app/blobs/${layer.digest}`]: () => bytesResponse(blob),
    }
    await expect(measureLayerBlob(client(routes), layer)).rejects.toThrow(
      /reg\.example layer sha256:/,
    )
  })
})
