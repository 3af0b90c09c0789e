/**
 * The proxy a request goes through, from the environment, the way @actions/http-client decides
 * it for this action's GitHub calls (and curl and Go's net/http for the docker CLI):
 * `https_proxy`/`HTTPS_PROXY` for https URLs, `http_proxy`/`HTTP_PROXY` for http ones (lower
 * case first, no fallback from one to the other), loopback never proxied, and `no_proxy`/
 * `NO_PROXY` entries: `*`, a host and its subdomains (`example.com`, `.example.com`,
 * `*.example.com`), optionally with `:port`, an IP address, or an IPv4/IPv6 CIDR block.
 * https://about.gitlab.com/blog/2021/01/27/we-need-to-talk-no-proxy/
 */
import { BlockList, isIP } from 'node:net'
import { UserError } from '../../util/errors.js'
import { isLoopback } from '../../model/registry-host.js'

export interface ProxyChoice {
  /** The proxy's URL (may hold user:password; log `origin` only) */
  url: URL
  /** The variable it came from, for messages */
  variable: string
}

type Env = Record<string, string | undefined>

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 }

/** The first of `names` set to a non-empty value, with its name. */
function firstSet(env: Env, names: string[]): { name: string; value: string } | undefined {
  for (const name of names) {
    const value = env[name]?.trim()
    if (value) return { name, value }
  }
  return undefined
}

/** The proxy for `target`, or undefined for a direct connection. */
export function proxyFor(target: URL, env: Env = process.env): ProxyChoice | undefined {
  const https = target.protocol === 'https:'
  const names = https ? ['https_proxy', 'HTTPS_PROXY'] : ['http_proxy', 'HTTP_PROXY']
  const proxy = firstSet(env, names)
  if (!proxy || isLoopback(target.host) || bypasses(target, env)) return undefined
  return { url: parseProxyUrl(proxy.value, proxy.name), variable: proxy.name }
}

/** A proxy URL; `host:port` without a scheme means http, as curl and http-client read it. */
export function parseProxyUrl(value: string, variable: string): URL {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`
  let url: URL
  try {
    url = new URL(withScheme)
  } catch (error: unknown) {
    const shown = value.replace(/\/\/[^/@]*@/, '//…@') // no password in the log
    throw new UserError(`${variable} "${shown}" is not a proxy URL (expected http://host:port)`, {
      cause: error,
    })
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UserError(
      `${variable} "${url.protocol}//${url.host}" is not an http(s) proxy (expected http://host:port)`,
    )
  }
  return url
}

/** Whether `no_proxy`/`NO_PROXY` sends `target` direct. */
export function bypasses(target: URL, env: Env = process.env): boolean {
  const list = firstSet(env, ['no_proxy', 'NO_PROXY'])?.value ?? ''
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase()
  const port = Number(target.port) || DEFAULT_PORTS[target.protocol]
  return list
    .split(/[\s,]+/)
    .filter(Boolean)
    .some((entry) => matchesEntry(entry.toLowerCase(), host, port))
}

function matchesEntry(entry: string, host: string, port: number): boolean {
  if (entry === '*') return true
  if (entry.includes('/')) return inCidr(entry, host)
  const { name, port: entryPort } = splitEntry(entry)
  if (entryPort !== undefined && Number(entryPort) !== port) return false
  const domain = name.replace(/^\*?\./, '')
  return domain !== '' && (host === domain || host.endsWith(`.${domain}`))
}

/** `host`, `host:port`, `[v6]:port` or a bare IPv6 address. */
function splitEntry(entry: string): { name: string; port?: string } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry)
  if (bracketed) return { name: bracketed[1], port: bracketed[2] }
  if (isIP(entry) === 6) return { name: entry }
  const [, name = '', port] = /^(.*?)(?::(\d+))?$/.exec(entry) ?? []
  return { name, port }
}

/** `10.0.0.0/8`, `fd00::/8`: whether the host (an IP literal) is inside. Names never are. */
function inCidr(entry: string, host: string): boolean {
  const [network, bits] = entry.split('/')
  const family = isIP(network)
  const maxBits = family === 6 ? 128 : 32
  if (family === 0 || isIP(host) !== family) return false
  if (!/^\d+$/.test(bits) || Number(bits) > maxBits) return false
  const type = family === 6 ? 'ipv6' : 'ipv4'
  const list = new BlockList()
  list.addSubnet(network, Number(bits), type)
  return list.check(host, type)
}
