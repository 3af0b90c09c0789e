import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { connect, type Socket } from 'node:net'
import { networkInterfaces, tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * Real network parts for the proxy and retry tests, all on loopback: an HTTP proxy (CONNECT
 * tunnels and absolute-form requests) that records what passes and reaches only the names it
 * maps, a TLS front with a certificate made at test time, and a flaky front for a registry.
 */

/** A listening server with its port and a close that also drops open connections. */
interface Running {
  port: number
  close: () => Promise<void>
}

async function listen(server: Server, host = '127.0.0.1'): Promise<Running> {
  const sockets = new Set<Socket>()
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, host, resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

/** `host:port` → `127.0.0.1:port`: where a name the proxy knows really is. */
export type ProxyRoutes = Record<string, string>

export interface RecordingProxy extends Running {
  /** `http://127.0.0.1:PORT` */
  url: string
  /** `CONNECT host:port` or `GET http://host:port/path`, in order */
  seen: string[]
  /** Proxy-Authorization headers received */
  authorizations: string[]
}

/**
 * A forward proxy. Names not in `routes` get 502 (nothing else is reachable from here anyway),
 * so a request that arrives proves it went through the proxy. With `requireAuth` ("user:pass"),
 * anything without that Basic Proxy-Authorization gets 407.
 */
export async function startProxy(
  routes: ProxyRoutes,
  options: { requireAuth?: string } = {},
): Promise<RecordingProxy> {
  const seen: string[] = []
  const authorizations: string[] = []
  /** Connections to the upstreams, closed with the proxy (they would keep the test alive) */
  const tunnels = new Set<Socket>()
  const expected = options.requireAuth
    ? `Basic ${Buffer.from(options.requireAuth).toString('base64')}`
    : undefined
  const allowed = (req: IncomingMessage) => {
    const given = req.headers['proxy-authorization']
    if (given) authorizations.push(given)
    return expected === undefined || given === expected
  }
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`)
    if (!allowed(req)) return void res.writeHead(407).end()
    const url = new URL(req.url ?? '/', 'http://invalid')
    const target = routes[`${url.hostname}:${url.port || '80'}`]
    if (!target || url.hostname === 'invalid') return void res.writeHead(502).end('unknown host')
    const headers = { ...req.headers }
    delete headers['proxy-authorization']
    forward(req, res, target, `${url.pathname}${url.search}`, headers)
  })
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    seen.push(`CONNECT ${req.url}`)
    const refuse = (status: string) => client.end(`HTTP/1.1 ${status}\r\n\r\n`)
    if (!allowed(req)) return refuse('407 Proxy Authentication Required')
    const target = routes[req.url ?? '']
    if (!target) return refuse('502 Bad Gateway')
    const [host, port] = target.split(':')
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    tunnels.add(upstream)
    upstream.on('close', () => tunnels.delete(upstream))
    upstream.on('error', () => client.destroy())
    client.on('error', () => upstream.destroy())
    client.on('close', () => upstream.destroy())
  })
  const running = await listen(server)
  const close = async () => {
    for (const tunnel of tunnels) tunnel.destroy()
    await running.close()
  }
  return {
    port: running.port,
    close,
    url: `http://127.0.0.1:${running.port}`,
    seen,
    authorizations,
  }
}

/** Passes one request on to `target` (host:port, plain HTTP) and its answer back. */
function forward(
  req: IncomingMessage,
  res: ServerResponse,
  target: string,
  path = req.url ?? '/',
  headers = req.headers,
): void {
  const [host, port] = target.split(':')
  const upstream = httpRequest(
    {
      host,
      port: Number(port),
      method: req.method,
      path,
      headers: { ...headers, host: target },
      agent: false,
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    },
  )
  upstream.on('error', () => res.destroy())
  req.pipe(upstream)
}

export interface TlsFront extends Running {
  /** The self-signed certificate (PEM file), for NODE_EXTRA_CA_CERTS */
  caFile: string
}

/**
 * An HTTPS server for `hostname` (certificate made now with openssl, valid for that name only)
 * that forwards every request to `target` over plain HTTP: a registry with real TLS.
 */
export async function startTlsFront(hostname: string, target: string): Promise<TlsFront> {
  const dir = mkdtempSync(join(tmpdir(), 'isg-net-tls-'))
  const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')]
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
      .concat(['-keyout', key, '-out', cert, '-days', '1', '-subj', `/CN=${hostname}`])
      .concat(['-addext', `subjectAltName=DNS:${hostname}`]),
    { stdio: 'ignore' },
  )
  const server = createHttpsServer(
    { key: readFileSync(key), cert: readFileSync(cert) },
    (req, res) => forward(req, res, target),
  )
  const running = await listen(server as unknown as Server)
  return {
    ...running,
    caFile: cert,
    close: async () => {
      await running.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** What the flaky front does with one request; undefined passes it on untouched. */
export type Fault =
  /** Drop the connection before answering */
  | 'reset'
  /** Answer with the registry's headers, then drop the connection half way through the body */
  | 'cut'
  /** Send half the body without Content-Length and close cleanly: it just ends early */
  | 'end-early'
  /** Pass on without the Range header: the registry answers 200 with the whole body */
  | 'ignore-range'
  | { status: number; headers?: Record<string, string>; body?: string }
  | undefined

export interface FlakyRequest {
  method: string
  path: string
  range?: string
  /** How many requests for this method and path came before this one */
  before: number
}

export interface FlakyFront extends Running {
  /** `127.0.0.1:PORT` */
  address: string
  /** `METHOD path [range] → fault` of every request, in order */
  log: string[]
}

/** A front for the registry at `target` that fails the way `decide` says. */
export async function startFlakyFront(
  target: string,
  decide: (request: FlakyRequest) => Fault,
  host = '127.0.0.1',
): Promise<FlakyFront> {
  const counts = new Map<string, number>()
  const log: string[] = []
  const server = createServer((req, res) => {
    const key = `${req.method} ${req.url}`
    const before = counts.get(key) ?? 0
    counts.set(key, before + 1)
    const range = req.headers.range
    const fault = decide({ method: req.method ?? 'GET', path: req.url ?? '/', range, before })
    const name = typeof fault === 'object' ? String(fault.status) : (fault ?? 'pass')
    log.push(`${key}${range ? ` ${range}` : ''} → ${name}`)
    if (fault === 'reset') return void req.socket.destroy()
    if (typeof fault === 'object') {
      return void res.writeHead(fault.status, fault.headers).end(fault.body ?? '')
    }
    if (fault === 'cut' || fault === 'end-early') return forwardHalf(req, res, target, fault)
    const headers = { ...req.headers }
    if (fault === 'ignore-range') delete headers.range
    forward(req, res, target, req.url, headers)
  })
  const running = await listen(server, host)
  return { ...running, address: `${host}:${running.port}`, log }
}

/** Forwards, but sends only the first half of the answer's body (see Fault). */
function forwardHalf(
  req: IncomingMessage,
  res: ServerResponse,
  target: string,
  how: 'cut' | 'end-early',
): void {
  const [host, port] = target.split(':')
  const headers = { ...req.headers, host: target }
  httpRequest(
    { host, port: Number(port), method: req.method, path: req.url, headers, agent: false },
    (answer) => {
      const chunks: Buffer[] = []
      answer.on('data', (chunk: Buffer) => chunks.push(chunk))
      answer.on('end', () => {
        const body = Buffer.concat(chunks)
        const half = body.subarray(0, Math.floor(body.length / 2))
        const socket = req.socket
        if (how === 'cut') {
          res.writeHead(answer.statusCode ?? 502, answer.headers)
          res.write(half, () => setTimeout(() => socket.destroy(), 20))
          return
        }
        const type = answer.headers['content-type'] ?? 'application/octet-stream'
        const head = `HTTP/1.1 ${answer.statusCode} OK\r\ncontent-type: ${type}\r\nconnection: close\r\n\r\n`
        socket.end(Buffer.concat([Buffer.from(head), half]))
      })
    },
  ).end()
}

/** The first IPv4 address of this machine that is not loopback (192.0.2.2 on the testbed). */
export function outsideAddress(): string {
  const addresses = Object.values(networkInterfaces()).flatMap((list) => list ?? [])
  const found = addresses.find((a) => a.family === 'IPv4' && !a.internal)
  if (!found) throw new Error('this test needs a network interface with an IPv4 address')
  return found.address
}

/** Deletes a tag's manifest from a registry (delete is enabled on the testbed's registries). */
export async function deleteTag(registry: string, repository: string, tag: string): Promise<void> {
  const accept = [
    'application/vnd.oci.image.manifest.v1+json',
    'application/vnd.docker.distribution.manifest.v2+json',
  ].join(', ')
  const head = await fetch(`http://${registry}/v2/${repository}/manifests/${tag}`, {
    method: 'HEAD',
    headers: { accept },
  })
  const digest = head.headers.get('docker-content-digest')
  if (!digest) return
  await fetch(`http://${registry}/v2/${repository}/manifests/${digest}`, { method: 'DELETE' })
}

/**
 * A plain front for `target` that rewrites each answer's headers (e.g. a Bearer challenge's
 * realm to a name only the proxy knows).
 */
export async function startRewritingFront(
  target: string,
  rewrite: (name: string, value: string) => string,
): Promise<Running & { address: string }> {
  const server = createServer((req, res) => {
    const [host, port] = target.split(':')
    const headers = { ...req.headers, host: target }
    const upstream = httpRequest(
      { host, port: Number(port), method: req.method, path: req.url, headers, agent: false },
      (answer) => {
        for (const [name, value] of Object.entries(answer.headers)) {
          if (typeof value === 'string') res.setHeader(name, rewrite(name, value))
          else if (value !== undefined) res.setHeader(name, value)
        }
        res.writeHead(answer.statusCode ?? 502)
        answer.pipe(res)
      },
    )
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  })
  const running = await listen(server)
  return { ...running, address: `127.0.0.1:${running.port}` }
}
