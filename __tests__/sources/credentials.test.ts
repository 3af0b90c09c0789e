import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { findCredentials } from '../../src/sources/credentials.js'
import { UserError } from '../../src/util/errors.js'

const dirs: string[] = []
function configDir(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'isg-creds-'))
  dirs.push(dir)
  writeFileSync(join(dir, 'config.json'), text)
  return dir
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

const b64 = (s: string) => Buffer.from(s).toString('base64')

describe('findCredentials', () => {
  it('1: explicit credentials win', async () => {
    expect(
      await findCredentials('ghcr.io', {
        username: 'u',
        password: 'p',
        dockerConfigDir: '/nowhere',
      }),
    ).toEqual({ username: 'u', password: 'p' })
  })

  it('2: reads the auths that docker login writes, Docker Hub under its legacy key', async () => {
    const dir = configDir(
      JSON.stringify({
        auths: {
          'https://index.docker.io/v1/': { auth: b64('hub:pw') },
          'ghcr.io': { auth: b64('me:tok:en') },
        },
      }),
    )
    expect(await findCredentials('docker.io', { dockerConfigDir: dir })).toEqual({
      username: 'hub',
      password: 'pw',
    })
    expect(await findCredentials('ghcr.io', { dockerConfigDir: dir })).toEqual({
      username: 'me',
      password: 'tok:en',
    })
    expect(await findCredentials('quay.io', { dockerConfigDir: dir })).toBeUndefined()
  })

  it('3: a config that is not JSON is one clear error naming the file', async () => {
    const dir = configDir('{"auths": {')
    await expect(findCredentials('ghcr.io', { dockerConfigDir: dir })).rejects.toThrow(UserError)
    await expect(findCredentials('ghcr.io', { dockerConfigDir: dir })).rejects.toThrow(
      `The Docker config ${join(dir, 'config.json')} is not valid JSON`,
    )
  })

  it('4: credential helpers are not run, and the log says so', async () => {
    const dir = configDir(JSON.stringify({ credsStore: 'desktop' }))
    const warnings: string[] = []
    const log = { debug() {}, info() {}, warning: (m: string) => warnings.push(m) }
    expect(await findCredentials('ghcr.io', { dockerConfigDir: dir }, log)).toBeUndefined()
    expect(warnings).toEqual([
      expect.stringMatching(/credential helpers .* does not run; reading ghcr.io anonymously/),
    ])
  })
})
