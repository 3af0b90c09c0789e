import { describe, expect, it } from '@jest/globals'
import { parseProxyUrl, proxyFor } from '../../../src/sources/registry/proxy-env.js'
import { createRegistryFetch } from '../../../src/sources/registry/transport.js'
import { silentLogger } from '../../../src/util/log.js'

const P = 'http://proxy.corp:3128'
const Q = 'http://other.corp:8080'

/** The proxy's origin for `url` under `env`, or 'direct'. */
function choice(url: string, env: Record<string, string>): string {
  const proxy = proxyFor(new URL(url), env)
  return proxy ? `${proxy.url.origin} (${proxy.variable})` : 'direct'
}

describe('proxyFor', () => {
  it.each([
    // 1-4: the variable for the URL's scheme, lower case first, no fallback between schemes
    [1, 'https://ghcr.io/v2/', { HTTPS_PROXY: P }, `${P} (HTTPS_PROXY)`],
    [2, 'https://ghcr.io/v2/', { https_proxy: P, HTTPS_PROXY: Q }, `${P} (https_proxy)`],
    [3, 'http://reg.internal:5000/v2/', { http_proxy: P, HTTPS_PROXY: Q }, `${P} (http_proxy)`],
    [4, 'https://ghcr.io/v2/', { HTTP_PROXY: P }, 'direct'],
    // 5-8: loopback is never proxied
    [5, 'http://127.0.0.1:5000/v2/', { HTTP_PROXY: P }, 'direct'],
    [6, 'http://localhost:5000/v2/', { http_proxy: P }, 'direct'],
    [7, 'http://[::1]:5000/v2/', { http_proxy: P }, 'direct'],
    [8, 'https://reg.localhost/v2/', { HTTPS_PROXY: P }, 'direct'],
    // 9-17: NO_PROXY / no_proxy entries
    [9, 'https://ghcr.io/v2/', { HTTPS_PROXY: P, NO_PROXY: 'ghcr.io' }, 'direct'],
    [10, 'https://pkg.ghcr.io/v2/', { HTTPS_PROXY: P, no_proxy: '.ghcr.io' }, 'direct'],
    [11, 'https://pkg.ghcr.io/v2/', { HTTPS_PROXY: P, no_proxy: '*.ghcr.io' }, 'direct'],
    [12, 'https://notghcr.io/v2/', { HTTPS_PROXY: P, NO_PROXY: 'ghcr.io' }, `${P} (HTTPS_PROXY)`],
    [13, 'https://ghcr.io/v2/', { HTTPS_PROXY: P, NO_PROXY: 'example.com, *' }, 'direct'],
    [14, 'https://ghcr.io/v2/', { HTTPS_PROXY: P, NO_PROXY: 'ghcr.io:8443' }, `${P} (HTTPS_PROXY)`],
    [15, 'https://ghcr.io/v2/', { HTTPS_PROXY: P, NO_PROXY: 'GHCR.IO:443' }, 'direct'],
    [16, 'http://10.1.2.3:5000/v2/', { HTTP_PROXY: P, NO_PROXY: '10.0.0.0/8' }, 'direct'],
    [
      17,
      'http://11.1.2.3:5000/v2/',
      { HTTP_PROXY: P, NO_PROXY: '10.0.0.0/8' },
      `${P} (HTTP_PROXY)`,
    ],
    [18, 'https://[fd00::5]/v2/', { HTTPS_PROXY: P, NO_PROXY: 'fd00::/8' }, 'direct'],
    [19, 'https://[fd00::5]:443/v2/', { HTTPS_PROXY: P, NO_PROXY: '[fd00::5]:443' }, 'direct'],
    // 20: lower-case no_proxy wins over upper case, like the proxy variables
    [
      20,
      'https://ghcr.io/v2/',
      { HTTPS_PROXY: P, no_proxy: 'x.org', NO_PROXY: 'ghcr.io' },
      `${P} (HTTPS_PROXY)`,
    ],
    // 21: an empty variable is no proxy
    [21, 'https://ghcr.io/v2/', { https_proxy: '', HTTPS_PROXY: P }, `${P} (HTTPS_PROXY)`],
  ])('%i: %s with %j → %s', (_n, url, env, expected) => {
    expect(choice(url, env)).toBe(expected)
  })

  it('reads host:port without a scheme as http, and keeps proxy credentials in the URL', () => {
    expect(parseProxyUrl('proxy.corp:3128', 'HTTPS_PROXY').href).toBe('http://proxy.corp:3128/')
    const withUser = parseProxyUrl('http://me:p%40ss@proxy.corp:3128', 'HTTPS_PROXY')
    expect([withUser.username, withUser.password, withUser.origin]).toEqual([
      'me',
      'p%40ss',
      'http://proxy.corp:3128',
    ])
  })

  it('refuses a proxy variable that is not an http(s) URL, naming it, when the fetch is made', () => {
    expect(() =>
      createRegistryFetch({ log: silentLogger, env: { HTTPS_PROXY: 'http://[bad' } }),
    ).toThrow('HTTPS_PROXY "http://[bad" is not a proxy URL (expected http://host:port)')
    expect(() =>
      createRegistryFetch({ log: silentLogger, env: { http_proxy: 'socks5://proxy:1080' } }),
    ).toThrow('http_proxy "socks5://proxy:1080" is not an http(s) proxy')
  })
})
