/**
 * The Docker CLI's config file (`$DOCKER_CONFIG/config.json`, default `~/.docker/config.json`),
 * read the way the CLI reads it: `auths` (basic `auth`, `username`/`password`, or an
 * `identitytoken`), `credHelpers` (a helper per registry) and `credsStore` (the default helper).
 * https://docs.docker.com/reference/cli/docker/#credential-store-options
 */
import { readFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { errorMessage, UserError } from '../../util/errors.js'
import { isRecord } from '../../util/json-check.js'
import { DOCKER_HUB } from '../../model/reference.js'
import { normalizeRegistry } from '../../model/registry-host.js'

export interface AuthEntry {
  /** base64 of `username:password` */
  auth?: string
  username?: string
  password?: string
  /** An OAuth2 refresh token for the registry's token service */
  identitytoken?: string
}

export interface DockerConfig {
  /** The file read, for messages */
  path: string
  /** `auths` entries by their key as written */
  auths: Record<string, AuthEntry>
  /** `credHelpers`: helper name (the `docker-credential-` suffix) by registry key as written */
  credHelpers: Record<string, string>
  /** `credsStore`: the helper for every registry `credHelpers` does not name */
  credsStore?: string
}

/** The key Docker Hub's login is stored under in the Docker config and given to helpers */
export const HUB_CONFIG_KEY = 'https://index.docker.io/v1/'

/** The server URL the Docker CLI looks a registry up by, and hands a credential helper. */
export function helperServerUrl(registry: string): string {
  return registry === DOCKER_HUB ? HUB_CONFIG_KEY : registry
}

/** $DOCKER_CONFIG, else ~/.docker: where the CLI and docker/login-action keep config.json. */
export function dockerConfigPath(dir?: string): string {
  return join(dir ?? process.env.DOCKER_CONFIG ?? join(homedir(), '.docker'), 'config.json')
}

/** The config at `dir`; a missing file is an empty config, an unreadable one a `UserError`. */
export async function readDockerConfig(dir?: string): Promise<DockerConfig> {
  const path = dockerConfigPath(dir)
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      return { path, auths: {}, credHelpers: {} }
    throw new UserError(`The Docker config ${path} cannot be read: ${errorMessage(error)}`)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    throw new UserError(
      `The Docker config ${path} is not valid JSON (${errorMessage(error)}); fix or remove it, or set DOCKER_CONFIG to another folder`,
    )
  }
  const config = isRecord(parsed) ? parsed : {}
  const auths = isRecord(config.auths) ? (config.auths as Record<string, AuthEntry>) : {}
  const credHelpers = isRecord(config.credHelpers)
    ? Object.fromEntries(
        Object.entries(config.credHelpers).filter(
          (e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '',
        ),
      )
    : {}
  const credsStore =
    typeof config.credsStore === 'string' && config.credsStore ? config.credsStore : undefined
  return { path, auths, credHelpers, credsStore }
}

/**
 * The value whose key names `registry` (`ghcr.io`, `https://ghcr.io`, `https://index.docker.io/v1/`
 * for `docker.io`): only a key for this very registry, never another one's.
 */
export function entryFor<T>(entries: Record<string, T>, registry: string): T | undefined {
  const exact = helperServerUrl(registry)
  if (Object.hasOwn(entries, exact)) return entries[exact]
  const key = Object.keys(entries).find((k) => normalizeRegistry(k) === registry)
  return key === undefined ? undefined : entries[key]
}
