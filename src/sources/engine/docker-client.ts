import Docker from 'dockerode'
import { Agent } from 'node:http'
import { connect as connectTcp, connect as connectUnix, isIP, type Socket } from 'node:net'
import { connect as connectTls } from 'node:tls'
import type { Duplex } from 'node:stream'
import type { EngineAddress } from '../../model/image.js'
import { displayHost } from './docker-host.js'
import type { EngineEndpoint, EndpointTls } from './resolve-endpoint.js'
import { EngineSilenceError, engineTimeoutMs } from './engine-timeout.js'

/** The endpoint each client was made for (messages and the report footer name it). */
const endpoints = new WeakMap<Docker, EngineEndpoint>()

/**
 * A dockerode client for a resolved endpoint, with every option given here: docker-modem's own
 * DOCKER_HOST parsing is not used (it knows no contexts, reads DOCKER_CERT_PATH files at
 * construction, and takes `DOCKER_TLS_VERIFY=1` or port 2376 for TLS where the CLI takes any
 * non-empty DOCKER_TLS_VERIFY).
 *
 * tcp:// goes through an http.Agent that dials the host itself, with docker-modem in its socket
 * mode: with `host` set, docker-modem calls the legacy `url.parse()` on every request, which
 * Node 24 reports as a DeprecationWarning (DEP0169). The socket path it is given then only
 * names the connection; the agent's `createConnection` decides where it goes.
 */
export function createDockerClient(
  endpoint: EngineEndpoint,
  timeoutMs: number = engineTimeoutMs(),
): Docker {
  const docker = withoutDockerHost(() => new Docker(clientOptions(endpoint, timeoutMs)))
  endpoints.set(docker, endpoint)
  return docker
}

/**
 * The bound on the engine's silence this client was made with, and whether it has dropped a
 * connection for it (a body cut that way fails as "aborted": this tells why). Undefined for ssh
 * (docker-modem's own agent) and for clients made elsewhere.
 */
export function silenceOf(docker: Docker): { timeoutMs: number; dropped: boolean } | undefined {
  const agent = (docker.modem as { agent?: unknown }).agent
  return agent instanceof EngineAgent
    ? { timeoutMs: agent.timeoutMs, dropped: agent.dropped }
    : undefined
}

/** The endpoint a client was made for; undefined for clients made elsewhere (tests). */
export function endpointOf(docker: Docker): EngineEndpoint | undefined {
  return endpoints.get(docker)
}

/** The address (and context) a client talks to, as reports show it: no credentials. */
export function addressOf(docker: Docker): EngineAddress {
  const endpoint = endpoints.get(docker)
  if (endpoint) return { host: displayHost(endpoint.host), context: endpoint.context }
  const modem = docker.modem as {
    socketPath?: unknown
    host?: string
    port?: number
    protocol?: string
  }
  if (typeof modem.socketPath === 'string' && !modem.host)
    return { host: `unix://${modem.socketPath}` }
  return { host: `${modem.protocol === 'ssh' ? 'ssh' : 'tcp'}://${modem.host}:${modem.port}` }
}

type ClientOptions = Docker.DockerOptions & { agent?: Agent }

function clientOptions(endpoint: EngineEndpoint, timeoutMs: number): ClientOptions {
  const address = endpoint.address
  switch (address.scheme) {
    case 'unix':
      return {
        socketPath: address.path,
        host: undefined,
        agent: new EngineAgent(() => connectUnix({ path: address.path }), timeoutMs),
      }
    case 'tcp':
      return {
        socketPath: `tcp://${address.host}:${address.port}`,
        host: undefined,
        protocol: 'http',
        agent: new EngineAgent(
          () => connectTo(address.host, address.port, endpoint.tls),
          timeoutMs,
        ),
        headers: { host: hostHeader(address.host, address.port) },
      }
    case 'ssh':
      // docker-modem's ssh agent (ssh2) needs `host`; Node 24 warns about its url.parse().
      return {
        host: address.host,
        port: address.port,
        protocol: 'ssh',
        username: address.username,
        ...(address.password ? { password: address.password } : {}),
        sshOptions: { agent: process.env.SSH_AUTH_SOCK },
      } as ClientOptions
  }
}

/**
 * Every connection to the engine, dialled by `dial`, and dropped with an `EngineSilenceError`
 * when nothing comes or goes on it for `timeoutMs` (connecting included): a hung engine ends
 * the run with a message instead of keeping it forever.
 */
class EngineAgent extends Agent {
  dropped = false

  constructor(
    private readonly dial: () => Socket,
    readonly timeoutMs: number,
  ) {
    super({ keepAlive: false })
  }

  override createConnection(): Duplex {
    const socket = this.dial()
    socket.setTimeout(this.timeoutMs, () => {
      this.dropped = true
      socket.destroy(new EngineSilenceError(this.timeoutMs))
    })
    return socket
  }
}

/** Plain TCP, or TLS with the endpoint's CA, client certificate and verification setting. */
function connectTo(host: string, port: number, tls: EndpointTls | undefined): Socket {
  const target = { host, port }
  if (!tls) return connectTcp(target)
  return connectTls({
    ...target,
    // SNI only for names; an IP address is checked against the certificate's IP SANs.
    servername: isIP(host) ? undefined : host,
    ca: tls.ca,
    cert: tls.cert,
    key: tls.key,
    rejectUnauthorized: !tls.skipVerify,
  })
}

function hostHeader(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`
}

/**
 * docker-modem's constructor parses DOCKER_HOST (and reads DOCKER_CERT_PATH's files) before it
 * looks at the options it is given, and throws on values the CLI accepts. The endpoint is
 * already resolved, so the client is made with DOCKER_HOST hidden for that synchronous moment.
 */
function withoutDockerHost<T>(make: () => T): T {
  const saved = process.env.DOCKER_HOST
  delete process.env.DOCKER_HOST
  try {
    return make()
  } finally {
    if (saved !== undefined) process.env.DOCKER_HOST = saved
  }
}
