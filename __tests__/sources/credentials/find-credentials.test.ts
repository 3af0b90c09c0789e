import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { findCredentials, type CredentialOptions } from '../../../src/sources/credentials/index.js'
import { UserError } from '../../../src/util/errors.js'
import type { Logger } from '../../../src/util/log.js'
import { HELPER_SECRET, HELPER_TOKEN, isRunning, makeHelpers, type FakeHelpers } from './helpers.js'

const dirs: string[] = []
function configDir(config: object | string): string {
  const dir = mkdtempSync(join(tmpdir(), 'isg-creds-'))
  dirs.push(dir)
  writeFileSync(
    join(dir, 'config.json'),
    typeof config === 'string' ? config : JSON.stringify(config),
  )
  return dir
}

let helpers: FakeHelpers
const savedPath = process.env.PATH
beforeAll(() => {
  helpers = makeHelpers({
    '127.0.0.1:5001': `isg:${HELPER_SECRET}`,
    'https://index.docker.io/v1/': 'hubber:hub-secret',
  })
  process.env.PATH = `${helpers.bin}${delimiter}${savedPath}`
})
afterAll(() => {
  process.env.PATH = savedPath
  helpers.remove()
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }))
})

const b64 = (s: string) => Buffer.from(s).toString('base64')

/** A logger that keeps what it was asked to mask and its debug lines. */
function maskingLog(): Logger & { masked: string[]; debugs: string[] } {
  const masked: string[] = []
  const debugs: string[] = []
  return {
    masked,
    debugs,
    debug: (m) => debugs.push(m),
    info() {},
    warning() {},
    mask: (s) => masked.push(s),
  }
}

const find = (registry: string, options: CredentialOptions, log?: Logger) =>
  findCredentials(registry, { helperTimeoutMs: 2000, ...options }, log)

describe('1. the inputs: for their registry only', () => {
  const inputs = { username: 'u', password: 'p', dockerConfigDir: '/nowhere' }

  it('1.1 are used for the registry they are bound to', async () => {
    const log = maskingLog()
    expect(await find('ghcr.io', { ...inputs, registry: 'ghcr.io' }, log)).toEqual({
      username: 'u',
      password: 'p',
      from: 'registry-username',
    })
    expect(log.masked).toEqual(['p', b64('u:p')])
  })

  it('1.2 are never offered to another registry, nor when bound to none', async () => {
    expect(await find('quay.io', { ...inputs, registry: 'ghcr.io' })).toBeUndefined()
    expect(await find('ghcr.io', inputs)).toBeUndefined()
  })

  it('1.3 Docker Hub under any of its names is the same registry', async () => {
    const hub = { ...inputs, registry: 'docker.io' }
    expect(await find('index.docker.io', hub)).toMatchObject({ username: 'u' })
    expect(await find('registry-1.docker.io', hub)).toMatchObject({ username: 'u' })
  })
})

describe('2. auths of the Docker config: each entry for its own registry', () => {
  it('2.1 reads the keys docker login writes, Docker Hub under its legacy key', async () => {
    const dir = configDir({
      auths: {
        'https://index.docker.io/v1/': { auth: b64('hub:pw') },
        'ghcr.io': { auth: b64('me:tok:en') },
        'https://quay.io/v2/': { username: 'q', password: 'qpw' },
      },
    })
    expect(await find('docker.io', { dockerConfigDir: dir })).toMatchObject({
      username: 'hub',
      password: 'pw',
    })
    expect(await find('ghcr.io', { dockerConfigDir: dir })).toMatchObject({
      username: 'me',
      password: 'tok:en',
    })
    expect(await find('quay.io', { dockerConfigDir: dir })).toMatchObject({ username: 'q' })
    expect(await find('gcr.io', { dockerConfigDir: dir })).toBeUndefined()
  })

  it('2.2 a key that only starts or ends like the registry is another registry', async () => {
    const dir = configDir({
      auths: {
        'ghcr.io.evil.example': { auth: b64('a:b') },
        'https://evil.example/ghcr.io': { auth: b64('c:d') },
      },
    })
    expect(await find('ghcr.io', { dockerConfigDir: dir })).toBeUndefined()
  })

  it('2.3 an identitytoken is kept as such, and every secret is masked', async () => {
    const dir = configDir({
      auths: {
        'myreg.azurecr.io': {
          auth: b64('00000000-0000-0000-0000-000000000000:'),
          identitytoken: 'refresh-me',
        },
        'ghcr.io': { auth: b64('me:pw-1') },
      },
    })
    const log = maskingLog()
    expect(await find('myreg.azurecr.io', { dockerConfigDir: dir }, log)).toEqual({
      username: '00000000-0000-0000-0000-000000000000',
      password: '',
      identityToken: 'refresh-me',
      from: `auths of ${join(dir, 'config.json')}`,
    })
    expect(log.masked).toContain('refresh-me')
    await find('ghcr.io', { dockerConfigDir: dir }, log)
    expect(log.masked).toEqual(expect.arrayContaining([b64('me:pw-1'), 'pw-1', 'refresh-me']))
  })

  it('2.4 a config that is not JSON is one clear error naming the file', async () => {
    const dir = configDir('{"auths": {')
    const found = find('ghcr.io', { dockerConfigDir: dir })
    await expect(found).rejects.toThrow(UserError)
    await expect(found).rejects.toThrow(
      `The Docker config ${join(dir, 'config.json')} is not valid JSON`,
    )
  })
})

describe('3. credential helpers, run as the Docker CLI runs them', () => {
  it('3.1 credHelpers names the helper per registry, credsStore the default one', async () => {
    const dir = configDir({
      credHelpers: { '127.0.0.1:5001': 'isg-good' },
      credsStore: 'isg-token',
      auths: { '127.0.0.1:5001': { auth: b64('file:not-used') } },
    })
    const log = maskingLog()
    expect(await find('127.0.0.1:5001', { dockerConfigDir: dir }, log)).toEqual({
      username: 'isg',
      password: HELPER_SECRET,
      from: 'docker-credential-isg-good',
    })
    expect(await find('ghcr.io', { dockerConfigDir: dir }, log)).toEqual({
      username: '',
      password: '',
      identityToken: HELPER_TOKEN,
      from: 'docker-credential-isg-token',
    })
    expect(log.masked).toEqual(expect.arrayContaining([HELPER_SECRET, HELPER_TOKEN]))
    expect(helpers.asked()).toEqual(
      expect.arrayContaining(['isg-good 127.0.0.1:5001', 'isg-token ghcr.io']),
    )
  })

  it('3.2 Docker Hub is asked for by its legacy server URL', async () => {
    const dir = configDir({ credsStore: 'isg-good' })
    expect(await find('docker.io', { dockerConfigDir: dir })).toMatchObject({
      username: 'hubber',
      password: 'hub-secret',
    })
    expect(helpers.asked()).toContain('isg-good https://index.docker.io/v1/')
  })

  it('3.3 "credentials not found" is anonymous, not an error', async () => {
    const dir = configDir({ credsStore: 'isg-good' })
    const log = maskingLog()
    expect(await find('quay.io', { dockerConfigDir: dir }, log)).toBeUndefined()
    expect(log.debugs).toEqual([
      expect.stringMatching(
        /docker-credential-isg-good .* has no login for quay.io: reading it anonymously/,
      ),
    ])
  })

  it('3.4 a failing helper is one error naming it and what it said', async () => {
    const dir = configDir({ credHelpers: { 'ghcr.io': 'isg-fail' } })
    await expect(find('ghcr.io', { dockerConfigDir: dir })).rejects.toThrow(
      new UserError(
        'The Docker credential helper docker-credential-isg-fail failed for ghcr.io: exit code 1: error getting credentials - err: exit status 255, out: session expired',
      ),
    )
  })

  it('3.5 a hanging helper is killed, with everything it started, at the time limit', async () => {
    const dir = configDir({ credsStore: 'isg-hang' })
    const started = Date.now()
    await expect(find('ghcr.io', { dockerConfigDir: dir, helperTimeoutMs: 500 })).rejects.toThrow(
      'The Docker credential helper docker-credential-isg-hang failed for ghcr.io: no answer within 0.5 s, so it was stopped',
    )
    expect(Date.now() - started).toBeLessThan(5000)
    const pids = helpers.hangPids()
    expect(pids).toHaveLength(2)
    expect(pids.filter(isRunning)).toEqual([])
  })

  it('3.6 a helper that is not installed, or answers no JSON, says so', async () => {
    const missing = configDir({ credsStore: 'isg-not-installed' })
    await expect(find('ghcr.io', { dockerConfigDir: missing })).rejects.toThrow(
      /docker-credential-isg-not-installed failed for ghcr.io: docker-credential-isg-not-installed is not on PATH/,
    )
    const path = configDir({ credsStore: '../../tmp/isg-evil' })
    await expect(find('ghcr.io', { dockerConfigDir: path })).rejects.toThrow(
      'The Docker credential helper docker-credential-../../tmp/isg-evil failed for ghcr.io: its name is not a helper name',
    )
    const garbage = configDir({ credsStore: 'isg-garbage' })
    await expect(find('ghcr.io', { dockerConfigDir: garbage })).rejects.toThrow(
      /docker-credential-isg-garbage failed for ghcr.io: its answer is not JSON/,
    )
  })

  it('3.7 one run asks a helper once per registry, however many images are there', async () => {
    const dir = configDir({ credHelpers: { 'https://127.0.0.1:5001': 'isg-good' } })
    const options = { dockerConfigDir: dir }
    const before = helpers.asked().length
    const [a, b] = await Promise.all([
      findCredentials('127.0.0.1:5001', options),
      findCredentials('127.0.0.1:5001', options),
    ])
    expect(a).toEqual(b)
    expect(helpers.asked().slice(before)).toEqual(['isg-good 127.0.0.1:5001'])
  })
})
