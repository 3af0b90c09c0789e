import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

/**
 * A loopback front for a real registry that fails the ways net-fakes' flaky front does not:
 * never answering, a body that stops mid-way and stays silent, and redirects (to another
 * origin, or to a Location that is not a URL). Every request's headers are recorded, so a test
 * can tell what a server received.
 */
export type SlowFault =
  /** Keep the connection open, never answer */
  | 'hang'
  /** The registry's headers and half its body, then silence with the connection open */
  | 'stall'
  /** 307 to `location` */
  | { redirect: string }
  | undefined

export interface SeenHeaders {
  method: string
  path: string
  headers: IncomingHttpHeaders
}

export interface SlowFront {
  /** `127.0.0.1:PORT` */
  address: string
  seen: SeenHeaders[]
  /** `METHOD path → fault` of every request, in order */
  log: string[]
  close(): Promise<void>
}

/** A front for the registry at `target` (host:port); `decide` sees how many came before. */
export async function startSlowFront(
  target: string,
  decide: (request: { method: string; path: string; before: number }) => SlowFault,
): Promise<SlowFront> {
  const counts = new Map<string, number>()
  const seen: SeenHeaders[] = []
  const log: string[] = []
  const sockets = new Set<Socket>()
  const server = createServer((req, res) => {
    const method = req.method ?? 'GET'
    const path = req.url ?? '/'
    const key = `${method} ${path}`
    const before = counts.get(key) ?? 0
    counts.set(key, before + 1)
    seen.push({ method, path, headers: req.headers })
    const fault = decide({ method, path, before })
    log.push(`${key} → ${typeof fault === 'object' ? 'redirect' : (fault ?? 'pass')}`)
    if (fault === 'hang') return
    if (typeof fault === 'object') {
      res.writeHead(307, { location: fault.redirect })
      return void res.end()
    }
    const [host, port] = target.split(':')
    const upstream = httpRequest(
      { host, port: Number(port), method, path, headers: { ...req.headers, host: target } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        if (fault !== 'stall') return void answer.pipe(res)
        const chunks: Buffer[] = []
        answer.on('data', (chunk: Buffer) => chunks.push(chunk))
        answer.on('end', () => {
          const body = Buffer.concat(chunks)
          res.write(body.subarray(0, Math.floor(body.length / 2)))
          // and nothing more: the connection stays open and silent
        })
      },
    )
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  })
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    address: `127.0.0.1:${port}`,
    seen,
    log,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
