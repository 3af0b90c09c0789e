/**
 * A loopback HTTP proxy that forwards every request to an engine socket or a registry and
 * records it, so a test can count what the sources asked for (one export, one GET per blob).
 */
import { request, createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface CountingProxy {
  /** `METHOD /path?query`, in arrival order */
  requests: string[]
  /** The most requests matching `track` that were under way at once (set `track` to count) */
  peak: { count: number; track: RegExp }
  /** The unix socket the proxy listens on (engine) */
  socketPath?: string
  /** The loopback port it listens on (registry) */
  port?: number
  close(): Promise<void>
}

export type ProxyTarget = { socketPath: string } | { host: string; port: number }

/** Listens on a unix socket when `on` is 'socket', else on a loopback TCP port. */
export async function startCountingProxy(
  target: ProxyTarget,
  on: 'socket' | 'tcp',
): Promise<CountingProxy> {
  const requests: string[] = []
  const peak = { count: 0, track: /$^/ }
  let underWay = 0
  const forward = (incoming: IncomingMessage, answer: ServerResponse): void => {
    const line = `${incoming.method} ${incoming.url}`
    requests.push(line)
    if (peak.track.test(line)) {
      underWay += 1
      peak.count = Math.max(peak.count, underWay)
      answer.on('close', () => (underWay -= 1))
    }
    const outgoing = request(
      { ...target, method: incoming.method, path: incoming.url, headers: incoming.headers },
      (response) => {
        answer.writeHead(response.statusCode ?? 502, response.headers)
        response.pipe(answer)
      },
    )
    outgoing.on('error', () => answer.destroy())
    incoming.pipe(outgoing)
  }
  const server = createServer(forward)
  const dir = on === 'socket' ? mkdtempSync(join(tmpdir(), 'isg-proxy-')) : undefined
  const socketPath = dir ? join(dir, 'engine.sock') : undefined
  await new Promise<void>((resolve) =>
    socketPath ? server.listen(socketPath, resolve) : server.listen(0, '127.0.0.1', resolve),
  )
  const address = server.address()
  return {
    requests,
    peak,
    socketPath,
    port: typeof address === 'object' && address !== null ? address.port : undefined,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => {
          if (dir) rmSync(dir, { recursive: true, force: true })
          resolve()
        })
      }),
  }
}
