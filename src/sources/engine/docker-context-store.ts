import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { UserError, errorMessage } from '../../util/errors.js'

/**
 * The docker CLI's contexts store, read as the CLI reads it:
 * `$DOCKER_CONFIG/contexts/meta/<sha256 of the name>/meta.json` holds the endpoints
 * (`Endpoints.docker.Host`, `SkipTLSVerify`), and `contexts/tls/<sha256>/docker/` the TLS
 * material (`ca.pem`, `cert.pem`, `key.pem`). A TLS folder that exists turns TLS on, even when
 * it is empty (system roots). https://github.com/docker/cli/tree/master/cli/context/store
 */
export interface ContextEndpoint {
  name: string
  /** `Endpoints.docker.Host` as stored; empty means the default socket */
  host: string
  skipTlsVerify: boolean
  /** The endpoint's TLS material; undefined when the context has none */
  tls?: TlsFiles
  /** The context's meta.json, for messages */
  metaPath: string
}

export interface TlsFiles {
  /** The folder the files were read from */
  dir: string
  ca?: Buffer
  cert?: Buffer
  key?: Buffer
}

const TLS_FILES = { 'ca.pem': 'ca', 'cert.pem': 'cert', 'key.pem': 'key' } as const

/** The store's folder name for a context: the sha256 hex digest of its name. */
export function contextId(name: string): string {
  return createHash('sha256').update(name).digest('hex')
}

/**
 * Reads the docker endpoint of the context `name`; `why` says what chose it (for messages).
 * A missing or broken context is a UserError naming the context and the file.
 */
export function readContextEndpoint(configDir: string, name: string, why: string): ContextEndpoint {
  const id = contextId(name)
  const metaPath = join(configDir, 'contexts', 'meta', id, 'meta.json')
  const context = `Docker context "${name}" (${why})`
  const meta = readMeta(metaPath, context)
  const endpoint = field(field(meta, 'Endpoints'), 'docker')
  if (!isObject(endpoint)) {
    throw new UserError(`${context} has no docker endpoint in ${metaPath}`)
  }
  const host = field(endpoint, 'Host') ?? ''
  const skip = field(endpoint, 'SkipTLSVerify') ?? false
  if (typeof host !== 'string' || typeof skip !== 'boolean') {
    throw new UserError(
      `${context}: ${metaPath} has an invalid docker endpoint (Host must be a string, SkipTLSVerify true or false)`,
    )
  }
  const tlsDir = join(configDir, 'contexts', 'tls', id, 'docker')
  return { name, host, skipTlsVerify: skip, tls: readTlsFiles(tlsDir, context), metaPath }
}

function readMeta(metaPath: string, context: string): Record<string, unknown> {
  let text: string
  try {
    text = readFileSync(metaPath, 'utf8')
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') {
      throw new UserError(
        `${context} does not exist: there is no ${metaPath} ("docker context ls" lists the contexts)`,
      )
    }
    throw new UserError(`${context} cannot be read: ${errorMessage(error)}`, { cause: error })
  }
  try {
    const meta: unknown = JSON.parse(text)
    if (isObject(meta)) return meta
  } catch (error) {
    throw new UserError(`${context}: ${metaPath} is not valid JSON (${errorMessage(error)})`, {
      cause: error,
    })
  }
  throw new UserError(`${context}: ${metaPath} is not a JSON object`)
}

/** Files of the endpoint's TLS folder; undefined when the folder does not exist. */
export function readTlsFiles(dir: string, context: string): TlsFiles | undefined {
  let names: string[]
  try {
    names = readdirSync(dir, { withFileTypes: true })
      .filter((entry) => !entry.isDirectory())
      .map((entry) => entry.name)
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') return undefined
    throw new UserError(`${context}: cannot list its TLS folder ${dir}: ${errorMessage(error)}`)
  }
  const files: TlsFiles = { dir }
  for (const name of names) {
    if (!Object.hasOwn(TLS_FILES, name)) continue // the CLI warns about and ignores them too
    const path = join(dir, name)
    try {
      files[TLS_FILES[name as keyof typeof TLS_FILES]] = readFileSync(path)
    } catch (error) {
      throw new UserError(`${context}: cannot read ${path}: ${errorMessage(error)}`)
    }
  }
  return files
}

/** Go's encoding/json matches object keys without regard to case; so does this. */
function field(object: unknown, name: string): unknown {
  if (!isObject(object)) return undefined
  const lower = name.toLowerCase()
  const key =
    Object.keys(object).find((k) => k === name) ??
    Object.keys(object).find((k) => k.toLowerCase() === lower)
  return key === undefined ? undefined : object[key]
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
