import { X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { createSecureContext } from 'node:tls'
import { UserError, errorMessage } from '../../util/errors.js'
import type { Logger } from '../../util/log.js'
import { readContextEndpoint, type TlsFiles } from './docker-context-store.js'
import {
  DEFAULT_SOCKET,
  DEFAULT_TLS_HOST,
  displayHost,
  normaliseDockerHost,
  parseHostAddress,
  type HostAddress,
} from './docker-host.js'

/** The engine the docker CLI would talk to, with what the client needs to reach it. */
export interface EngineEndpoint {
  /** The named context it comes from; undefined for the default context (DOCKER_HOST or socket) */
  context?: string
  /** What chose it, for messages: `DOCKER_HOST`, `DOCKER_CONTEXT`, `currentContext in …` */
  source: string
  /** The address (may hold an ssh user and password: show it only through `displayHost`) */
  host: string
  address: HostAddress
  /** TLS for a tcp:// host; undefined: plain HTTP */
  tls?: EndpointTls
}

export interface EndpointTls {
  ca?: Buffer
  cert?: Buffer
  key?: Buffer
  /** Accept any server certificate (the context's SkipTLSVerify, or DOCKER_TLS without _VERIFY) */
  skipVerify: boolean
  /** Where the material came from, for messages */
  origin: string
}

const DEFAULT_CONTEXT = 'default'

/**
 * Resolves the engine in the docker CLI's order (`resolveContextName` in cli/command/cli.go):
 * DOCKER_HOST (the default context, with DOCKER_TLS_VERIFY / DOCKER_TLS / DOCKER_CERT_PATH),
 * then DOCKER_CONTEXT, then the config's `currentContext`, then the default socket. The context
 * named `default` is DOCKER_HOST-or-socket. Empty variables count as unset, as in the CLI.
 */
export function resolveEngineEndpoint(env: NodeJS.ProcessEnv, log: Logger): EngineEndpoint {
  const configDir = env.DOCKER_CONFIG || join(homedir(), '.docker')
  if (env.DOCKER_HOST) return defaultEndpoint(env, configDir, 'DOCKER_HOST')
  const chosen = env.DOCKER_CONTEXT
    ? { name: env.DOCKER_CONTEXT, source: 'DOCKER_CONTEXT' }
    : readCurrentContext(configDir, log)
  if (!chosen || chosen.name === DEFAULT_CONTEXT) {
    return defaultEndpoint(env, configDir, chosen?.source ?? 'the default socket')
  }
  const context = readContextEndpoint(configDir, chosen.name, `set by ${chosen.source}`)
  const host = context.host || DEFAULT_SOCKET
  const describe = `The docker endpoint of context "${chosen.name}" (${context.metaPath})`
  const tlsOn = context.tls !== undefined || context.skipTlsVerify
  const address = parseHostAddress(host, describe, tlsOn ? 443 : 80)
  const tls =
    address.scheme === 'tcp' && tlsOn
      ? checkTls(
          { ...context.tls, skipVerify: context.skipTlsVerify, origin: tlsOrigin(context.tls) },
          `Docker context "${chosen.name}"`,
        )
      : undefined
  return { context: chosen.name, source: chosen.source, host, address, tls }
}

/** The environment that makes the docker CLI pick the same engine (build mode). */
export function dockerCliEnv(endpoint: EngineEndpoint): Record<string, string> {
  // A named context is pinned by name; the default context comes from the same DOCKER_HOST,
  // DOCKER_TLS* and DOCKER_CERT_PATH the CLI inherits.
  return endpoint.context ? { DOCKER_CONTEXT: endpoint.context } : {}
}

/** `tcp://10.0.0.5:2376 (context "ci")`: no user name, no password. */
export function describeEndpoint(endpoint: { host: string; context?: string }): string {
  const where = displayHost(endpoint.host)
  return endpoint.context ? `${where} (context "${endpoint.context}")` : where
}

/** The default context: DOCKER_HOST or the socket, TLS from the variables (flags/options.go). */
function defaultEndpoint(env: NodeJS.ProcessEnv, configDir: string, source: string) {
  const verify = Boolean(env.DOCKER_TLS_VERIFY)
  const tlsOn = verify || Boolean(env.DOCKER_TLS)
  const host = env.DOCKER_HOST?.trim()
    ? normaliseDockerHost(env.DOCKER_HOST)
    : tlsOn
      ? DEFAULT_TLS_HOST
      : DEFAULT_SOCKET
  const address = parseHostAddress(host, 'DOCKER_HOST')
  const endpoint: EngineEndpoint = { source, host, address }
  if (!tlsOn) return endpoint
  const certDir = env.DOCKER_CERT_PATH || configDir
  const variable = verify ? 'DOCKER_TLS_VERIFY' : 'DOCKER_TLS'
  // The CLI reads ca.pem whenever TLS is on (even for a socket); cert and key when present.
  const ca = readCertFile(join(certDir, 'ca.pem'), variable, true)
  const cert = readCertFile(join(certDir, 'cert.pem'), variable, false)
  const key = readCertFile(join(certDir, 'key.pem'), variable, false)
  if (address.scheme !== 'tcp') return endpoint
  const tls = { ca, cert, key, skipVerify: !verify, origin: `DOCKER_CERT_PATH ${certDir}` }
  return { ...endpoint, tls: checkTls(tls, `${variable} with ${certDir}`) }
}

function readCertFile(path: string, variable: string, required: boolean): Buffer | undefined {
  try {
    return readFileSync(path)
  } catch (error) {
    if (!required && (error as { code?: unknown }).code === 'ENOENT') return undefined
    throw new UserError(
      `${variable} is set, so the docker CLI uses TLS, but ${path} cannot be read (${errorMessage(error)}); set DOCKER_CERT_PATH to the folder with ca.pem, cert.pem and key.pem`,
    )
  }
}

function readCurrentContext(configDir: string, log: Logger) {
  const path = join(configDir, 'config.json')
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ENOENT') {
      log.warning(`Cannot read the Docker config ${path} (${errorMessage(error)}); ignoring it`)
    }
    return undefined
  }
  try {
    const config = JSON.parse(text) as { currentContext?: unknown }
    const name = config?.currentContext
    return typeof name === 'string' && name
      ? { name, source: `currentContext in ${path}` }
      : undefined
  } catch (error) {
    // The CLI warns ("Error loading config file") and goes on with an empty config: so do we.
    log.warning(`The Docker config ${path} is not valid JSON (${errorMessage(error)}); ignoring it`)
    return undefined
  }
}

function tlsOrigin(files: TlsFiles | undefined): string {
  return files ? `TLS folder ${files.dir}` : 'SkipTLSVerify without TLS files'
}

/**
 * Fails early, naming the files, on material Node's TLS would reject at the first request:
 * an unreadable CA, an encrypted key (the CLI refuses those too), a key that is not the cert's.
 */
function checkTls(tls: EndpointTls, owner: string): EndpointTls {
  // Like the CLI, a client certificate is used only when both halves are there.
  const both = tls.cert !== undefined && tls.key !== undefined
  const usable = { ...tls, cert: both ? tls.cert : undefined, key: both ? tls.key : undefined }
  if (usable.key && /ENCRYPTED/.test(usable.key.toString('latin1'))) {
    throw new UserError(
      `${owner}: key.pem in ${tls.origin} is encrypted; the docker CLI and this tool need an unencrypted key`,
    )
  }
  try {
    // Node skips a CA file without a certificate in it; the CLI rejects it ("seems invalid").
    if (usable.ca) new X509Certificate(usable.ca)
    createSecureContext({ ca: usable.ca, cert: usable.cert, key: usable.key })
  } catch (error) {
    throw new UserError(
      `${owner}: the TLS material in ${tls.origin} is not usable (${errorMessage(error)})`,
      { cause: error },
    )
  }
  return usable
}

let runEndpoint: EngineEndpoint | undefined

/**
 * The engine of this run, from this process's environment, resolved once: the engine source
 * and the build mode's docker CLI use the same one.
 */
export function resolveRunEndpoint(log: Logger): EngineEndpoint {
  if (!runEndpoint) {
    runEndpoint = resolveEngineEndpoint(process.env, log)
    log.debug(`Docker engine: ${describeEndpoint(runEndpoint)}, from ${runEndpoint.source}`)
  }
  return runEndpoint
}
