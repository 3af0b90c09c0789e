import Docker from 'dockerode'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** What the fake engine answers to image inspect and history; set per test. */
export interface EngineAnswers {
  inspect: unknown
  history: unknown
}

export interface FakeEngine {
  answers: EngineAnswers
  /** A dockerode client for it */
  docker(): Docker
  close(): Promise<void>
}

/**
 * A loopback HTTP server speaking the few Docker Engine API endpoints the engine source reads
 * on the overlay2 path (`/info`, `/version`, image inspect and history), with the answers the
 * test sets; anything else is a 404 as the engine gives it.
 */
export async function startFakeEngine(answers: EngineAnswers): Promise<FakeEngine> {
  const engine = { answers } as FakeEngine
  const server: Server = createServer((request, response) => {
    const url = request.url ?? ''
    const send = (body: unknown) => {
      response.writeHead(200, { 'content-type': 'application/json' })
      response.end(JSON.stringify(body))
    }
    if (/\/info$/.test(url)) return send({ Driver: 'overlay2', DriverStatus: [] })
    if (/\/version$/.test(url)) return send({ Version: '20.10.24', ApiVersion: '1.41' })
    if (/\/images\/.+\/json$/.test(url)) return send(engine.answers.inspect)
    if (/\/images\/.+\/history$/.test(url)) return send(engine.answers.history)
    response.writeHead(404, { 'content-type': 'application/json' })
    response.end('{"message":"not here"}')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  engine.docker = () => new Docker({ host: '127.0.0.1', port, protocol: 'http' })
  engine.close = () => new Promise<void>((resolve) => server.close(() => resolve()))
  return engine
}
