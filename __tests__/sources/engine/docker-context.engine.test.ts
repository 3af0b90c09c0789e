import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFile, execFileSync } from 'node:child_process'
import { promisify } from 'node:util'
import { join } from 'node:path'
import { createDockerClient } from '../../../src/sources/engine/docker-client.js'
import { readEngineImage } from '../../../src/sources/engine/engine-source.js'
import {
  resolveEngineEndpoint,
  type EngineEndpoint,
} from '../../../src/sources/engine/resolve-endpoint.js'
import { ImageNotFoundError } from '../../../src/sources/errors.js'
import { UserError } from '../../../src/util/errors.js'
import { silentLogger } from '../../../src/util/log.js'
import { makeDockerConfig, type DockerConfigDir } from '../../support/docker-contexts.js'
import { buildFixtures, dockerCli, ENGINES } from '../../support/engines.js'
import {
  makeCertificates,
  startEngineFront,
  type EngineFront,
  type TestCertificates,
} from '../../support/tls-engine.js'

/**
 * The engine the user means, on the real engines: a contexts store made by the real docker CLI
 * (`docker context create`) pointing at the containerd-store engine, and a TLS front (client
 * certificates required) for the classic engine's socket.
 */
const [classic, containerd] = ENGINES
const ONLY_D26 = `isg-engine/only-d26:${process.pid}`

let config: DockerConfigDir
let certs: TestCertificates
let tlsFront: EngineFront
let plainFront: EngineFront

/** The docker CLI with this test's DOCKER_CONFIG and nothing else that picks an engine. */
function docker(args: string[], env: Record<string, string> = {}): string {
  return execFileSync('docker', args, {
    env: { PATH: process.env.PATH, HOME: '/nonexistent', DOCKER_CONFIG: config.dir, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim()
}

/** Asynchronous: the fronts run on this process's event loop, which execFileSync would block. */
async function dockerAsync(args: string[], env: Record<string, string>): Promise<string> {
  const { stdout } = await promisify(execFile)('docker', args, {
    env: { PATH: process.env.PATH, HOME: '/nonexistent', DOCKER_CONFIG: config.dir, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  })
  return stdout.trim()
}

function resolve(env: Record<string, string>): EngineEndpoint {
  return resolveEngineEndpoint(
    { HOME: '/nonexistent', DOCKER_CONFIG: config.dir, ...env },
    silentLogger,
  )
}

function read(reference: string, env: Record<string, string>) {
  const client = createDockerClient(resolve(env))
  return readEngineImage(reference, {
    docker: client,
    log: silentLogger,
    credentials: {},
    pull: false,
  })
}

beforeAll(async () => {
  buildFixtures(containerd)
  buildFixtures(classic)
  dockerCli(containerd, ['tag', 'isg-fixture/busybox:1', ONLY_D26])
  config = makeDockerConfig()
  certs = makeCertificates()
  tlsFront = await startEngineFront(classic.host.replace('unix://', ''), certs)
  plainFront = await startEngineFront(classic.host.replace('unix://', ''))
  const tlsHost = `tcp://127.0.0.1:${tlsFront.port}`
  const pem = (name: string) => join(certs.dir, name)
  docker(['context', 'create', 'd26', '--docker', `host=${containerd.host}`])
  docker([
    'context',
    'create',
    'classic-tls',
    '--docker',
    `host=${tlsHost},ca=${pem('ca.pem')},cert=${pem('client.pem')},key=${pem('client-key.pem')}`,
  ])
  docker(['context', 'create', 'no-client-cert', '--docker', `host=${tlsHost},ca=${pem('ca.pem')}`])
  docker([
    'context',
    'create',
    'wrong-ca',
    '--docker',
    `host=${tlsHost},ca=${pem('other-ca.pem')},cert=${pem('client.pem')},key=${pem('client-key.pem')}`,
  ])
})

afterAll(async () => {
  dockerCli(containerd, ['rmi', ONLY_D26])
  await tlsFront?.close()
  await plainFront?.close()
  config?.remove()
  certs?.remove()
})

describe('the same engine as the docker CLI', () => {
  const cases: Array<[string, Record<string, string>, string | undefined]> = [
    ['nothing set', {}, undefined],
    ['DOCKER_CONTEXT', { DOCKER_CONTEXT: 'd26' }, undefined],
    ['currentContext', {}, 'd26'],
    ['DOCKER_CONTEXT over currentContext', { DOCKER_CONTEXT: 'classic-tls' }, 'd26'],
    ['DOCKER_HOST over both', { DOCKER_HOST: classic.host, DOCKER_CONTEXT: 'd26' }, 'd26'],
    ['DOCKER_CONTEXT=default', { DOCKER_CONTEXT: 'default' }, 'd26'],
    ['a bare tcp DOCKER_HOST', { DOCKER_HOST: '127.0.0.1' }, undefined],
  ]

  it.each(cases)(
    '1. %s: the context and host `docker context inspect` shows',
    (_, env, current) => {
      if (current) config.setCurrentContext(current)
      else config.writeFile('config.json', '{}')
      const cli = docker(
        ['context', 'inspect', '--format', '{{.Name}} {{.Endpoints.docker.Host}}'],
        env,
      )
      const ours = resolve(env)
      expect(`${ours.context ?? 'default'} ${ours.host}`).toBe(cli)
    },
  )

  it('2. the TLS material `docker context create` stored is what the client gets', () => {
    const endpoint = resolve({ DOCKER_CONTEXT: 'classic-tls' })
    expect(endpoint.tls).toMatchObject({
      ca: certs.ca,
      cert: certs.clientCert,
      key: certs.clientKey,
    })
    expect(endpoint.tls?.skipVerify).toBe(false)
  })
})

describe('reading through a context', () => {
  it('1. DOCKER_CONTEXT, no DOCKER_HOST: an image only the d26 engine has is read from it', async () => {
    expect(() => dockerCli(classic, ['image', 'inspect', ONLY_D26])).toThrow()
    const image = await read(ONLY_D26, { DOCKER_CONTEXT: 'd26' })
    expect(image.origin).toMatchObject({
      kind: 'engine',
      store: 'containerd',
      endpoint: { host: containerd.host, context: 'd26' },
    })
  })

  it('2. currentContext alone does the same; DOCKER_HOST set too wins, as in the CLI', async () => {
    config.setCurrentContext('d26')
    const image = await read(ONLY_D26, {})
    expect(image.origin).toMatchObject({ endpoint: { context: 'd26' } })
    await expect(read(ONLY_D26, { DOCKER_HOST: classic.host })).rejects.toThrow(ImageNotFoundError)
    const classicImage = await read('isg-fixture/busybox:1', { DOCKER_HOST: classic.host })
    expect(classicImage.origin).toMatchObject({
      store: 'overlay2',
      endpoint: { host: classic.host },
    })
  })

  it('3. TLS with a client certificate: the engine behind the TLS front is read, and the CLI agrees', async () => {
    const before = tlsFront.connections
    const image = await read('isg-fixture/busybox:1', { DOCKER_CONTEXT: 'classic-tls' })
    expect(image.origin).toMatchObject({
      store: 'overlay2',
      endpoint: { host: `tcp://127.0.0.1:${tlsFront.port}`, context: 'classic-tls' },
    })
    expect(tlsFront.connections).toBeGreaterThan(before)
    const cliVersion = await dockerAsync(['version', '--format', '{{.Server.Version}}'], {
      DOCKER_CONTEXT: 'classic-tls',
    })
    expect(image.origin.kind === 'engine' && image.origin.engineVersion).toBe(cliVersion)
  })

  it('3b. DOCKER_HOST with DOCKER_TLS_VERIFY and DOCKER_CERT_PATH reaches the same TLS front, as the CLI does', async () => {
    const env = {
      DOCKER_HOST: `tcp://127.0.0.1:${tlsFront.port}`,
      DOCKER_TLS_VERIFY: '1',
      DOCKER_CERT_PATH: certs.certPath,
    }
    const image = await read('isg-fixture/busybox:1', env)
    expect(image.origin).toMatchObject({ endpoint: { host: env.DOCKER_HOST } })
    expect(await dockerAsync(['version', '--format', '{{.Server.Version}}'], env)).toBe(
      image.origin.kind === 'engine' && image.origin.engineVersion,
    )
    // Without the TLS variables the CLI speaks plain HTTP to it, and so does this tool.
    await expect(read('isg-fixture/busybox:1', { DOCKER_HOST: env.DOCKER_HOST })).rejects.toThrow(
      UserError,
    )
  })

  it.each([
    ['no-client-cert', 'a front that demands a client certificate', /certificate required/],
    ['wrong-ca', 'a server certificate from another CA', /certificate/],
  ])(
    '4. %s (%s): one clear error naming the engine, the context and the TLS folder',
    async (name, _, why) => {
      const error = await read('isg-fixture/busybox:1', { DOCKER_CONTEXT: name }).catch(
        (e: unknown) => e,
      )
      expect(error).toBeInstanceOf(UserError)
      const message = (error as Error).message
      expect(message).toMatch(
        new RegExp(
          `^The TLS connection to the Docker engine at tcp://127\\.0\\.0\\.1:${tlsFront.port} \\(context "${name}"\\) failed \\(.+\\): check the CA, client certificate and key in TLS folder .*/contexts/tls/[0-9a-f]{64}/docker$`,
        ),
      )
      expect(message).not.toContain('\n')
      expect(/failed \((.+)\): check/.exec(message)?.[1]).toMatch(why)
    },
  )

  it('5. plain tcp:// from DOCKER_HOST, and an engine that is not there', async () => {
    const image = await read('isg-fixture/busybox:1', {
      DOCKER_HOST: `tcp://127.0.0.1:${plainFront.port}`,
    })
    expect(image.origin).toMatchObject({ endpoint: { host: `tcp://127.0.0.1:${plainFront.port}` } })
    config.addContext('gone', 'unix:///tmp/isg-engine-nowhere.sock')
    await expect(read('isg-fixture/busybox:1', { DOCKER_CONTEXT: 'gone' })).rejects.toThrow(
      'Cannot reach the Docker engine at unix:///tmp/isg-engine-nowhere.sock (context "gone") (ENOENT): start dockerd, or fix the Docker context "gone" (DOCKER_CONTEXT), or choose another engine with DOCKER_CONTEXT or DOCKER_HOST',
    )
  })
})
