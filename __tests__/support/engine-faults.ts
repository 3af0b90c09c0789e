import { createServer as createHttpServer, request as httpRequest } from 'node:http'
import { createServer as createNetServer, type Server, type Socket } from 'node:net'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * A loopback socket in front of a real Docker engine (DOCKER_HOST points at it) that passes the
 * Engine API through and breaks it the way a test asks: cut a body half way, stop the engine
 * (every connection dropped, the socket gone), or never answer. The real engine is never
 * stopped: other tests share it.
 */

/** What the front does with one request. */
export type EngineFault =
  /** Pass on untouched */
  | 'pass'
  /** Answer with the engine's headers and `cutAfter` bytes of its body, then drop the connection */
  | 'cut'
  /** The engine stops: this and every open connection dropped, the socket removed */
  | 'stop'
  /** Keep the connection open and never answer */
  | 'hang'

export interface EngineRequest {
  method: string
  /** Path and query, API version prefix removed: `/images/isg-fixture%2Fapp:pr/json` */
  path: string
}

export interface EngineFront {
  /** `unix:///tmp/…sock`, for DOCKER_HOST */
  host: string
  /** `METHOD path → fault` of every request, in order */
  log: string[]
  close(): Promise<void>
}

let fronts = 0

function socketPath(): string {
  fronts += 1
  return join(tmpdir(), `isg-engine-front-${process.pid}-${fronts}.sock`)
}

/** Tracks open connections so `stop` and `close` can drop them. */
function tracked(server: Server): Set<Socket> {
  const sockets = new Set<Socket>()
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  return sockets
}

/** A front for the engine listening on the unix socket `upstream` (a path). */
export async function startEngineFront(
  upstream: string,
  decide: (request: EngineRequest) => EngineFault,
  cutAfter = 256 * 1024,
): Promise<EngineFront> {
  const path = socketPath()
  const log: string[] = []
  let stopped = false
  const server = createHttpServer((req, res) => {
    const request = {
      method: req.method ?? 'GET',
      path: (req.url ?? '/').replace(/^\/v[\d.]+/, ''),
    }
    const fault = stopped ? 'stop' : decide(request)
    log.push(`${request.method} ${request.path} → ${fault}`)
    if (fault === 'hang') return
    if (fault === 'stop') {
      stopped = true
      void stop()
      return
    }
    const upstreamRequest = httpRequest(
      { socketPath: upstream, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        if (fault === 'pass') return void answer.pipe(res)
        let sent = 0
        answer.on('data', (chunk: Buffer) => {
          if (sent >= cutAfter) return
          const part = chunk.subarray(0, cutAfter - sent)
          sent += part.length
          res.write(part)
          if (sent >= cutAfter) {
            answer.destroy()
            setTimeout(() => req.socket.destroy(), 20)
          }
        })
        answer.on('end', () => res.end())
      },
    )
    upstreamRequest.on('error', () => res.destroy())
    req.pipe(upstreamRequest)
  })
  const sockets = tracked(server)
  const stop = async () => {
    for (const socket of sockets) socket.destroy()
    await new Promise<void>((resolve) => server.close(() => resolve()))
    rmSync(path, { force: true })
  }
  await new Promise<void>((resolve) => server.listen(path, resolve))
  return {
    host: `unix://${path}`,
    log,
    close: async () => {
      if (!stopped) await stop()
    },
  }
}

/** A socket that accepts connections and never says a word: an engine that hangs. */
export async function startSilentEngine(): Promise<{ host: string; close(): Promise<void> }> {
  const path = socketPath()
  const server = createNetServer(() => undefined)
  const sockets = tracked(server)
  await new Promise<void>((resolve) => server.listen(path, resolve))
  return {
    host: `unix://${path}`,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      rmSync(path, { force: true })
    },
  }
}
