import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { join } from 'node:path'
import { normaliseDockerHost } from '../../../src/sources/engine/docker-host.js'
import {
  describeEndpoint,
  dockerCliEnv,
  resolveEngineEndpoint,
  type EngineEndpoint,
} from '../../../src/sources/engine/resolve-endpoint.js'
import { UserError } from '../../../src/util/errors.js'
import type { Logger } from '../../../src/util/log.js'
import { makeDockerConfig, sha256Hex, type DockerConfigDir } from '../../support/docker-contexts.js'
import { makeCertificates, type TestCertificates } from '../../support/tls-engine.js'

/** The engine resolved in the docker CLI's order, from a real contexts store on disk. */

let config: DockerConfigDir
let certs: TestCertificates
let warnings: string[]
const log: Logger = { debug() {}, info() {}, warning: (m) => warnings.push(m) }

beforeAll(() => {
  certs = makeCertificates()
})
afterAll(() => certs.remove())
beforeEach(() => {
  config = makeDockerConfig()
  warnings = []
  config.addContext('d26', 'unix:///tmp/d26.sock')
  config.addContext('remote', 'tcp://10.0.0.5:2376', {
    tls: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey },
  })
})
afterEach(() => config.remove())

const resolve = (env: Record<string, string>) =>
  resolveEngineEndpoint({ HOME: '/nonexistent', DOCKER_CONFIG: config.dir, ...env }, log)
const summary = (e: EngineEndpoint) => ({ context: e.context, host: e.host, source: e.source })
const errorOf = (f: () => unknown): Error => {
  try {
    f()
  } catch (error) {
    return error as Error
  }
  throw new Error('expected an error')
}

describe('which engine: the CLI order', () => {
  it.each([
    // [#, environment, currentContext, expected context, host, source]
    [1, {}, undefined, undefined, 'unix:///var/run/docker.sock', 'the default socket'],
    [2, {}, 'd26', 'd26', 'unix:///tmp/d26.sock', 'currentContext in CONFIG'],
    [3, { DOCKER_CONTEXT: 'd26' }, undefined, 'd26', 'unix:///tmp/d26.sock', 'DOCKER_CONTEXT'],
    [4, { DOCKER_CONTEXT: 'd26' }, 'remote', 'd26', 'unix:///tmp/d26.sock', 'DOCKER_CONTEXT'],
    [
      5,
      { DOCKER_HOST: 'unix:///x.sock', DOCKER_CONTEXT: 'd26' },
      'd26',
      undefined,
      'unix:///x.sock',
      'DOCKER_HOST',
    ],
    [
      6,
      { DOCKER_CONTEXT: 'default' },
      'd26',
      undefined,
      'unix:///var/run/docker.sock',
      'DOCKER_CONTEXT',
    ],
    [7, {}, 'default', undefined, 'unix:///var/run/docker.sock', 'currentContext in CONFIG'],
    [
      8,
      { DOCKER_HOST: '', DOCKER_CONTEXT: '' },
      'd26',
      'd26',
      'unix:///tmp/d26.sock',
      'currentContext in CONFIG',
    ],
    [
      9,
      { DOCKER_CONTEXT: 'default', DOCKER_HOST: 'tcp://h:1' },
      undefined,
      undefined,
      'tcp://h:1',
      'DOCKER_HOST',
    ],
  ] as const)('%i. %j with currentContext %s', (_n, env, current, context, host, source) => {
    if (current) config.setCurrentContext(current)
    const configFile = join(config.dir, 'config.json')
    expect(summary(resolve(env))).toEqual({
      context,
      host,
      source: source.replace('CONFIG', configFile),
    })
  })

  it('10. a named context pins itself by name for the docker CLI; the default context adds nothing', () => {
    config.setCurrentContext('d26')
    expect(dockerCliEnv(resolve({}))).toEqual({ DOCKER_CONTEXT: 'd26' })
    expect(dockerCliEnv(resolve({ DOCKER_HOST: 'unix:///x.sock' }))).toEqual({})
  })

  it('11. a context with no Host is the default socket, as in the CLI', () => {
    config.addContext('empty', '')
    expect(resolve({ DOCKER_CONTEXT: 'empty' }).host).toBe('unix:///var/run/docker.sock')
  })
})

describe('a missing or broken context is one clear error naming the context and the file', () => {
  const metaPath = (name: string) =>
    join(config.dir, 'contexts', 'meta', sha256Hex(name), 'meta.json')

  it('1. a context that does not exist', () => {
    const error = errorOf(() => resolve({ DOCKER_CONTEXT: 'nope' }))
    expect(error).toBeInstanceOf(UserError)
    expect(error.message).toBe(
      `Docker context "nope" (set by DOCKER_CONTEXT) does not exist: there is no ${metaPath('nope')} ("docker context ls" lists the contexts)`,
    )
  })

  it('2. currentContext naming a context that does not exist says where it was set', () => {
    config.setCurrentContext('gone')
    expect(errorOf(() => resolve({})).message).toContain(
      `Docker context "gone" (set by currentContext in ${join(config.dir, 'config.json')}) does not exist`,
    )
  })

  it('3. meta.json that is not JSON', () => {
    config.writeFile(join('contexts', 'meta', sha256Hex('bad'), 'meta.json'), '{"Name": ')
    const error = errorOf(() => resolve({ DOCKER_CONTEXT: 'bad' }))
    expect(error).toBeInstanceOf(UserError)
    expect(error.message).toMatch(
      new RegExp(
        `^Docker context "bad" \\(set by DOCKER_CONTEXT\\): ${metaPath('bad')} is not valid JSON \\(`,
      ),
    )
  })

  it('4. a context without a docker endpoint, or with a host of the wrong kind', () => {
    config.writeFile(
      join('contexts', 'meta', sha256Hex('k8s'), 'meta.json'),
      JSON.stringify({ Name: 'k8s', Endpoints: { kubernetes: {} } }),
    )
    expect(errorOf(() => resolve({ DOCKER_CONTEXT: 'k8s' })).message).toBe(
      `Docker context "k8s" (set by DOCKER_CONTEXT) has no docker endpoint in ${metaPath('k8s')}`,
    )
    config.addContext('pipe', 'npipe:////./pipe/docker_engine')
    expect(errorOf(() => resolve({ DOCKER_CONTEXT: 'pipe' })).message).toMatch(
      /^The docker endpoint of context "pipe" \(.*meta\.json\) is npipe:.*npipe:\/\/ and fd:\/\/ are not supported\)$/,
    )
  })

  it('5. Go-style keys in any case are read as the CLI reads them', () => {
    config.writeFile(
      join('contexts', 'meta', sha256Hex('lower'), 'meta.json'),
      JSON.stringify({ name: 'lower', endpoints: { docker: { host: 'tcp://h:2375' } } }),
    )
    expect(resolve({ DOCKER_CONTEXT: 'lower' })).toMatchObject({
      host: 'tcp://h:2375',
      tls: undefined,
    })
  })

  it('6. a config.json that is not JSON is ignored with a warning, as the CLI does', () => {
    config.writeFile('config.json', '{"currentContext": "d26"')
    expect(resolve({}).host).toBe('unix:///var/run/docker.sock')
    expect(warnings).toEqual([
      expect.stringMatching(/^The Docker config .*config\.json is not valid JSON .*; ignoring it$/),
    ])
  })
})

describe('TLS', () => {
  it('1. a context with TLS material: verified, with its CA and client certificate', () => {
    const endpoint = resolve({ DOCKER_CONTEXT: 'remote' })
    expect(endpoint.address).toEqual({ scheme: 'tcp', host: '10.0.0.5', port: 2376 })
    expect(endpoint.tls).toMatchObject({ ca: certs.ca, cert: certs.clientCert, skipVerify: false })
    expect(endpoint.tls?.origin).toBe(
      `TLS folder ${join(config.dir, 'contexts', 'tls', sha256Hex('remote'), 'docker')}`,
    )
  })

  it('2. SkipTLSVerify alone, or an empty TLS folder, still means TLS; none means plain HTTP', () => {
    config.addContext('skip', 'tcp://h:2376', { skipTlsVerify: true })
    config.addContext('roots', 'tcp://h', { tls: {} })
    config.addContext('plain', 'tcp://h:2375')
    const skip = resolve({ DOCKER_CONTEXT: 'skip' })
    expect(skip.tls).toMatchObject({ skipVerify: true })
    expect(skip.tls?.ca).toBeUndefined()
    const roots = resolve({ DOCKER_CONTEXT: 'roots' })
    expect(roots.tls).toMatchObject({ skipVerify: false })
    expect(roots.tls?.ca).toBeUndefined()
    expect(roots.address).toEqual({ scheme: 'tcp', host: 'h', port: 443 })
    expect(resolve({ DOCKER_CONTEXT: 'plain' }).tls).toBeUndefined()
  })

  it('3. a key that is not the certificate’s, or a CA that is not PEM, fails naming the folder', () => {
    config.addContext('mismatch', 'tcp://h:2376', {
      tls: { ca: certs.ca, cert: certs.clientCert, key: certs.serverKey },
    })
    config.addContext('junk', 'tcp://h:2376', { tls: { ca: 'not a certificate' } })
    for (const name of ['mismatch', 'junk']) {
      const error = errorOf(() => resolve({ DOCKER_CONTEXT: name }))
      expect(error).toBeInstanceOf(UserError)
      expect(error.message).toContain(`Docker context "${name}": the TLS material in TLS folder `)
      expect(error.message).toContain(join('tls', sha256Hex(name), 'docker'))
    }
  })

  it('4. DOCKER_TLS_VERIFY (any non-empty value, "0" too) with DOCKER_CERT_PATH, as the CLI reads them', () => {
    const env = { DOCKER_HOST: 'tcp://127.0.0.1:2376', DOCKER_CERT_PATH: certs.dir }
    // makeCertificates names the files ca.pem, client.pem, …: give the CLI's names.
    config.writeFile('certs/ca.pem', certs.ca)
    config.writeFile('certs/cert.pem', certs.clientCert)
    config.writeFile('certs/key.pem', certs.clientKey)
    const certPath = join(config.dir, 'certs')
    for (const verify of ['1', '0']) {
      const endpoint = resolve({ ...env, DOCKER_CERT_PATH: certPath, DOCKER_TLS_VERIFY: verify })
      expect(endpoint.tls).toMatchObject({
        ca: certs.ca,
        cert: certs.clientCert,
        skipVerify: false,
      })
    }
    expect(resolve({ ...env, DOCKER_CERT_PATH: certPath, DOCKER_TLS: '1' }).tls).toMatchObject({
      skipVerify: true,
    })
    expect(resolve(env).tls).toBeUndefined() // port 2376 alone is not TLS for the CLI
  })

  it('5. TLS on without a ca.pem is an error naming the file; cert and key may be absent', () => {
    const error = errorOf(() => resolve({ DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS_VERIFY: '1' }))
    expect(error.message).toMatch(
      new RegExp(
        `^DOCKER_TLS_VERIFY is set, so the docker CLI uses TLS, but ${join(config.dir, 'ca.pem')} cannot be read`,
      ),
    )
    config.writeFile('ca.pem', certs.ca)
    const endpoint = resolve({ DOCKER_TLS_VERIFY: '1' })
    expect(endpoint.host).toBe('tcp://localhost:2376') // the CLI's TLS default
    expect(endpoint.tls).toMatchObject({ ca: certs.ca, cert: undefined, key: undefined })
  })
})

describe('DOCKER_HOST as the CLI normalises it', () => {
  it.each([
    ['unix:///tmp/d26.sock', 'unix:///tmp/d26.sock'],
    ['unix://', 'unix:///var/run/docker.sock'],
    ['tcp://127.0.0.1', 'tcp://127.0.0.1:2375'],
    ['127.0.0.1:9999', 'tcp://127.0.0.1:9999'],
    ['tcp://', 'tcp://localhost:2375'],
    [' tcp://h:2 ', 'tcp://h:2'],
    ['tcp://[::1]:5', 'tcp://[::1]:5'],
    ['ssh://u@h:22', 'ssh://u@h:22'],
  ])('%s → %s', (value, expected) => {
    expect(normaliseDockerHost(value)).toBe(expected)
  })

  it('rejects what the CLI rejects, in one line', () => {
    expect(() => normaliseDockerHost('http://h:1')).toThrow(
      'DOCKER_HOST is "http://h:1", expected unix://PATH, tcp://HOST:PORT or ssh://[USER@]HOST[:PORT]',
    )
  })

  it('never shows an ssh password or user name', () => {
    const endpoint = resolve({ DOCKER_HOST: 'ssh://deploy:s3cret@build-host:2222' })
    expect(endpoint.address).toMatchObject({
      scheme: 'ssh',
      username: 'deploy',
      password: 's3cret',
    })
    expect(describeEndpoint(endpoint)).toBe('ssh://build-host:2222')
  })
})
