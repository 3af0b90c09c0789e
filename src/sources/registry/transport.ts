/**
 * The fetch registry requests (and token requests) go through by default: through the proxy the
 * environment names for each URL (see proxy-env.ts), with retries and resumable bodies (see
 * retrying-fetch.ts).
 *
 * Direct requests use the global fetch. Proxied ones use the npm `undici` package's own fetch
 * with its ProxyAgent (CONNECT tunnels), as @actions/github does for the GitHub calls: Node's
 * global fetch is built on another undici in each Node major (6 in Node 20, 7 in Node 24), and a
 * dispatcher from one does not reliably drive the other. undici is loaded on the first proxied
 * request only, so runs without a proxy neither load nor parse it.
 */
import type { Logger } from '../../util/log.js'
import { withReadAhead } from './closing-connection.js'
import { parseProxyUrl, proxyFor, type ProxyChoice } from './proxy-env.js'
import {
  DEFAULT_RETRY_POLICY,
  REGISTRY_TIMEOUT_VARIABLE,
  type RetryPolicy,
} from './retry-policy.js'
import { secondsFromEnv } from '../timeout-env.js'
import { withRetries } from './retrying-fetch.js'

export interface RegistryFetchOptions {
  log: Logger
  /** Where the proxy variables are read; default process.env */
  env?: Record<string, string | undefined>
  /** The transport for requests that go direct; default the global fetch */
  direct?: typeof fetch
  retry?: Partial<RetryPolicy>
}

const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY']

type Undici = Pick<typeof import('undici'), 'fetch' | 'ProxyAgent'>
type ProxiedFetch = (url: URL, init: RequestInit | undefined) => Promise<Response>

/** One agent (and connection pool) per proxy for the whole process. */
const proxied = new Map<string, Promise<ProxiedFetch>>()

/** A fetch for registries; a malformed proxy variable is a `UserError` here, not later. */
export function createRegistryFetch(options: RegistryFetchOptions): typeof fetch {
  const env = options.env ?? process.env
  for (const name of PROXY_VARIABLES) {
    const value = env[name]?.trim()
    if (value) parseProxyUrl(value, name)
  }
  const direct = options.direct ?? globalThis.fetch
  const announced = new Set<string>()
  const routed = async (input: Parameters<typeof fetch>[0], init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : input.toString())
    const proxy = proxyFor(url, env)
    // Node 24's fetch must not fall behind on a closing connection (closing-connection.ts)
    if (!proxy) return withReadAhead(await direct(input, init))
    const key = `${url.host} ${proxy.url.origin}`
    if (!announced.has(key)) {
      announced.add(key)
      options.log.info(`${url.host}: through the proxy ${proxy.url.origin} (${proxy.variable})`)
    }
    return fetchThrough(proxy, url, init)
  }
  // IMAGE_SIZE_GATE_REGISTRY_TIMEOUT bounds a silent registry: headers, and each pause in a body
  const timeoutMs = secondsFromEnv(
    REGISTRY_TIMEOUT_VARIABLE,
    DEFAULT_RETRY_POLICY.headersTimeoutMs / 1000,
    env,
  )
  const policy = { headersTimeoutMs: timeoutMs, bodyIdleMs: timeoutMs, ...options.retry }
  return withRetries(routed as typeof fetch, { log: options.log, policy })
}

async function fetchThrough(
  proxy: ProxyChoice,
  url: URL,
  init: RequestInit | undefined,
): Promise<Response> {
  let made = proxied.get(proxy.url.href)
  if (!made) {
    made = loadProxiedFetch(proxy.url)
    proxied.set(proxy.url.href, made)
    made.catch(() => proxied.delete(proxy.url.href))
  }
  const send = await made
  try {
    return await send(url, init)
  } catch (error: unknown) {
    throw new ProxiedRequestError(proxy, error)
  }
}

async function loadProxiedFetch(proxyUrl: URL): Promise<ProxiedFetch> {
  // esbuild's chunk of a CommonJS package exports only `default`; Node's own import names them too
  const loaded = (await import('undici')) as Undici & { default?: Undici }
  const { fetch: undiciFetch, ProxyAgent } = loaded.default?.ProxyAgent ? loaded.default : loaded
  // user:password in the URL become Proxy-Authorization (Basic), as with http-client
  const dispatcher = new ProxyAgent({ uri: proxyUrl.href })
  return async (url, init) => {
    const response = await undiciFetch(url, { ...init, dispatcher } as Parameters<
      typeof undiciFetch
    >[1])
    return response as unknown as Response
  }
}

/**
 * A proxied request that failed: says which proxy, keeps the original as the cause (so its
 * code still tells a reset from a refusal). Shaped like fetch's own TypeError("fetch failed").
 */
class ProxiedRequestError extends TypeError {
  constructor(proxy: ProxyChoice, error: unknown) {
    super('fetch failed', { cause: new ProxyFailure(proxyReason(proxy, error), error) })
  }
}

class ProxyFailure extends Error {
  constructor(message: string, cause: unknown) {
    super(message, { cause })
  }
}

/** What went wrong, naming the proxy: fetch wraps the socket's error in one or two layers. */
function proxyReason(proxy: ProxyChoice, error: unknown): string {
  let reason = String(error)
  let current: unknown = error
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    const message: unknown = Reflect.get(current, 'message')
    if (typeof message === 'string' && message !== '') reason = message
    current = Reflect.get(current, 'cause')
  }
  const which = `the proxy ${proxy.url.origin} (${proxy.variable})`
  // undici's words for a refused CONNECT
  const refused = /^Proxy response \((\d+)\) !== 200 when HTTP Tunneling$/.exec(reason)
  if (!refused) return `${reason} through ${which}`
  const login =
    refused[1] !== '407'
      ? ''
      : proxy.url.username
        ? `; it refused the login in ${proxy.variable}`
        : `; it asks for a login (user:password@ in ${proxy.variable})`
  return `${which} answered ${refused[1]} to CONNECT${login}`
}
