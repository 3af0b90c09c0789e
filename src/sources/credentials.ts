import { readFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { DOCKER_HUB } from '../model/reference.js'
import { errorMessage, UserError } from '../util/errors.js'
import type { Logger } from '../util/log.js'

export interface Credentials {
  username: string
  password: string
}

export interface CredentialOptions {
  /** From the `registry-username` / `registry-password` inputs; used for every registry */
  username?: string
  password?: string
  /** Directory of config.json; defaults to $DOCKER_CONFIG, then ~/.docker */
  dockerConfigDir?: string
}

/**
 * Credentials for a registry: the explicit ones first, then the `auths` of the Docker config
 * file that `docker login` and `docker/login-action` write. Credential helpers (`credsStore`)
 * are not run: on GitHub runners login-action writes `auths` directly.
 */
export async function findCredentials(
  registry: string,
  options: CredentialOptions = {},
  log?: Logger,
): Promise<Credentials | undefined> {
  if (options.username && options.password) {
    return { username: options.username, password: options.password }
  }
  const dir = options.dockerConfigDir ?? process.env.DOCKER_CONFIG ?? join(homedir(), '.docker')
  const path = join(dir, 'config.json')
  const config = await readConfig(path)
  const auths = config.auths
  for (const key of configKeys(registry)) {
    const entry = auths[key]
    const decoded = entry?.auth ? Buffer.from(entry.auth, 'base64').toString('utf8') : undefined
    if (decoded?.includes(':')) {
      const colon = decoded.indexOf(':')
      return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
    }
    if (entry?.username && entry.password) {
      return { username: entry.username, password: entry.password }
    }
  }
  if (config.helpers) {
    log?.warning(
      `${path} names credential helpers (credsStore/credHelpers), which image-size-gate does not run; reading ${registry} anonymously. Set registry-username and registry-password, or log in so that "auths" holds the credentials (docker/login-action does)`,
    )
  }
  return undefined
}

type AuthEntry = { auth?: string; username?: string; password?: string }

interface DockerConfig {
  auths: Record<string, AuthEntry>
  /** Whether credsStore or credHelpers are set */
  helpers: boolean
}

async function readConfig(path: string): Promise<DockerConfig> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { auths: {}, helpers: false }
    throw new UserError(`The Docker config ${path} cannot be read: ${errorMessage(error)}`)
  }
  let parsed: { auths?: unknown; credsStore?: unknown; credHelpers?: unknown }
  try {
    parsed = JSON.parse(text) as typeof parsed
  } catch (error) {
    throw new UserError(
      `The Docker config ${path} is not valid JSON (${errorMessage(error)}); fix or remove it, or set DOCKER_CONFIG to another folder`,
    )
  }
  const auths =
    parsed?.auths && typeof parsed.auths === 'object'
      ? (parsed.auths as Record<string, AuthEntry>)
      : {}
  return { auths, helpers: Boolean(parsed?.credsStore || parsed?.credHelpers) }
}

/** The keys `docker login` may have stored a registry under. */
function configKeys(registry: string): string[] {
  if (registry === DOCKER_HUB) {
    return ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io']
  }
  return [registry, `https://${registry}`, `http://${registry}`, `https://${registry}/v1/`]
}
