/**
 * The credentials for one registry, and for no other: the inputs' when they are bound to it
 * (see bind-credentials.ts), else the Docker config's as the Docker CLI resolves them: the
 * registry's `credHelpers` entry, else `credsStore`, else its `auths` entry.
 * https://github.com/docker/cli/blob/master/cli/config/configfile/file.go (GetCredentialsStore)
 */
import { maskSecrets, type Logger } from '../../util/log.js'
import { runCredentialHelper } from './credential-helper.js'
import { normalizeRegistry } from '../../model/registry-host.js'
import {
  entryFor,
  helperServerUrl,
  readDockerConfig,
  type AuthEntry,
  type DockerConfig,
} from './docker-config.js'

export interface Credentials {
  username: string
  /** For Basic auth and the token service's GET; empty when there is only an identity token */
  password: string
  /** An OAuth2 refresh token (config `identitytoken`, or a helper's `<token>` login) */
  identityToken?: string
  /** Where they came from, for messages: `registry-username`, `docker-credential-ecr-login`, … */
  from?: string
}

export interface CredentialOptions {
  /** From the `registry-username` / `registry-password` inputs */
  username?: string
  password?: string
  /** The registry (normalised: model/registry-host.ts) the input credentials are for, and the only one */
  registry?: string
  /** Directory of config.json; defaults to $DOCKER_CONFIG, then ~/.docker */
  dockerConfigDir?: string
  /** Time limit for a credential helper; default 10 s */
  helperTimeoutMs?: number
}

/** One lookup per registry and run: base and PR image on one registry run a helper once. */
const lookups = new WeakMap<CredentialOptions, Map<string, Promise<Credentials | undefined>>>()

/**
 * Credentials for `registry` (as a reference names it); undefined: read it anonymously. Every
 * secret found is masked in the log. A config or helper that fails is a `UserError`.
 */
export function findCredentials(
  registry: string,
  options: CredentialOptions = {},
  log?: Logger,
): Promise<Credentials | undefined> {
  const key = normalizeRegistry(registry) ?? registry
  const cache = lookups.get(options) ?? new Map<string, Promise<Credentials | undefined>>()
  lookups.set(options, cache)
  let found = cache.get(key)
  if (!found) {
    found = lookUp(key, options, log)
    cache.set(key, found)
  }
  return found
}

async function lookUp(
  registry: string,
  options: CredentialOptions,
  log: Logger | undefined,
): Promise<Credentials | undefined> {
  const { username, password } = options
  if (username && password && options.registry === registry) {
    maskSecrets(log, password, basicPair(username, password))
    return { username, password, from: 'registry-username' }
  }
  const config = await readDockerConfig(options.dockerConfigDir)
  const helper = entryFor(config.credHelpers, registry) ?? config.credsStore
  if (helper) return askHelper(helper, registry, config, options, log)
  const entry = entryFor(config.auths, registry)
  return entry ? fromAuthEntry(entry, config.path, log) : undefined
}

async function askHelper(
  helper: string,
  registry: string,
  config: DockerConfig,
  options: CredentialOptions,
  log: Logger | undefined,
): Promise<Credentials | undefined> {
  const program = `docker-credential-${helper}`
  const answer = await runCredentialHelper(helper, helperServerUrl(registry), {
    timeoutMs: options.helperTimeoutMs,
  })
  if (!answer || answer.secret === '') {
    log?.debug(`${program} (${config.path}) has no login for ${registry}: reading it anonymously`)
    return undefined
  }
  maskSecrets(log, answer.secret)
  if (answer.identityToken)
    return { username: '', password: '', identityToken: answer.secret, from: program }
  maskSecrets(log, basicPair(answer.username, answer.secret))
  return { username: answer.username, password: answer.secret, from: program }
}

/** `auth` (base64 `user:password`), or `username`/`password`, and any `identitytoken`. */
function fromAuthEntry(
  entry: AuthEntry,
  path: string,
  log: Logger | undefined,
): Credentials | undefined {
  const from = `auths of ${path}`
  const identityToken = typeof entry.identitytoken === 'string' ? entry.identitytoken : undefined
  let username = typeof entry.username === 'string' ? entry.username : ''
  let password = typeof entry.password === 'string' ? entry.password : ''
  if (typeof entry.auth === 'string' && entry.auth !== '') {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    if (colon >= 0) [username, password] = [decoded.slice(0, colon), decoded.slice(colon + 1)]
    maskSecrets(log, entry.auth)
  }
  maskSecrets(log, password, identityToken, password && basicPair(username, password))
  if (identityToken) return { username, password, identityToken, from }
  return username && password ? { username, password, from } : undefined
}

/** base64 of `user:password`: what a Basic Authorization header carries */
function basicPair(username: string, password: string): string {
  return Buffer.from(`${username}:${password}`, 'utf8').toString('base64')
}
