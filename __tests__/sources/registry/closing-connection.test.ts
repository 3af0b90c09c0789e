import { afterEach, describe, expect, it } from '@jest/globals'
import { createServer, type Server } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { endsConnection } from '../../../src/sources/registry/closing-connection.js'
import { createRegistryFetch } from '../../../src/sources/registry/transport.js'
import { recordingLog } from '../../support/registry-tools.js'

/**
 * A response after which the server closes the connection, read by a reader that is behind:
 * Node 24's own fetch (undici 7) died on it with an uncatchable `assert(!this.paused)` from the
 * socket's 'end' handler, and the request never settled (nodejs/undici#5360). 64 KiB is one
 * socket read that fills undici's body buffer, so its parser pauses before the FIN.
 */
const BODY = Buffer.alloc(64 * 1024, 0x61)
const servers: Server[] = []

afterEach(async () => {
  const closing = servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve)))
  await Promise.all(closing)
})

/** A raw HTTP/1.1 server: the status line, `head`, the body, then FIN. */
async function serve(head: string): Promise<string> {
  const server = createServer((socket) => {
    socket.on('error', () => undefined)
    socket.once('data', () => {
      socket.write(`HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\n${head}\r\n`)
      socket.end(BODY)
    })
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return `http://127.0.0.1:${address.port}/v2/app/manifests/latest`
}

async function lateRead(response: Response): Promise<number> {
  await sleep(300)
  let bytes = 0
  for await (const chunk of response.body ?? []) bytes += chunk.length
  return bytes
}

describe('a response whose connection closes after it', () => {
  it.each([
    [
      'with a length and Connection: close',
      `content-length: ${BODY.length}\r\nconnection: close\r\n`,
    ],
    ['ended by the connection', ''],
  ])(
    'is read whole by a reader that comes late: %s',
    async (_name, head) => {
      const registryFetch = createRegistryFetch({ log: recordingLog(), env: {} })
      const response = await registryFetch(await serve(head))
      expect(endsConnection(response)).toBe(true)
      expect(await lateRead(response)).toBe(BODY.length)
    },
    20_000,
  )

  it('can be cancelled', async () => {
    const registryFetch = createRegistryFetch({ log: recordingLog(), env: {} })
    const response = await registryFetch(await serve('connection: close\r\n'))
    await expect(response.body?.cancel()).resolves.toBeUndefined()
  })
})

describe('endsConnection', () => {
  it.each([
    [{ 'content-length': '3' }, false],
    [{ 'transfer-encoding': 'chunked' }, false],
    [{ 'content-length': '3', connection: 'close' }, true],
    [{ 'content-length': '3', connection: 'keep-alive, Close' }, true],
    [{ 'content-length': '3', connection: 'closed' }, false],
    [{}, true],
  ])('%j: %s', (headers, expected) => {
    expect(endsConnection(new Response('abc', { headers }))).toBe(expected)
  })
})
