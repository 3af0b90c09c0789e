import { readFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { DOCKER_HUB } from '../model/reference.js'

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
): Promise<Credentials | undefined> {
  if (options.username && options.password) {
    return { username: options.username, password: options.password }
  }
  const dir = options.dockerConfigDir ?? process.env.DOCKER_CONFIG ?? join(homedir(), '.docker')
  const auths = await readAuths(join(dir, 'config.json'))
  for (const key of configKeys(registry)) {
    const entry = auths[key]
    const decoded = entry?.auth ? Buffer.from(entry.auth, 'base64').toString('utf8') : undefined
    if (decoded?.includes(':')) {
      const colon = decoded.indexOf(':')
      return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
    }
    if (entry?.username && entry.password)
      return { username: entry.username, password: entry.password }
  }
  return undefined
}

type AuthEntry = { auth?: string; username?: string; password?: string }

async function readAuths(path: string): Promise<Record<string, AuthEntry>> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {}
    throw error
  }
  const parsed: unknown = JSON.parse(text)
  const auths = (parsed as { auths?: unknown }).auths
  return auths && typeof auths === 'object' ? (auths as Record<string, AuthEntry>) : {}
}

/** The keys `docker login` may have stored a registry under. */
function configKeys(registry: string): string[] {
  if (registry === DOCKER_HUB) {
    return ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io']
  }
  return [registry, `https://${registry}`, `http://${registry}`, `https://${registry}/v1/`]
}
