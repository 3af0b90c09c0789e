import { describe, expect, it } from '@jest/globals'
import { parseChallenges, pickChallenge } from '../../../src/sources/registry/challenge.js'
import { tokenUrl } from '../../../src/sources/registry/token.js'

describe('parseChallenges', () => {
  it.each([
    [
      '1 Docker Hub',
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull"',
      [
        {
          scheme: 'bearer',
          params: {
            realm: 'https://auth.docker.io/token',
            service: 'registry.docker.io',
            scope: 'repository:library/alpine:pull',
          },
        },
      ],
    ],
    ['2 htpasswd', 'Basic realm="isg-test"', [{ scheme: 'basic', params: { realm: 'isg-test' } }]],
    [
      '3 comma inside quotes',
      'Bearer realm="https://r.example/t?a=1,b=2",service="x"',
      [{ scheme: 'bearer', params: { realm: 'https://r.example/t?a=1,b=2', service: 'x' } }],
    ],
    [
      '4 escaped quote',
      'Basic realm="a \\"quoted\\" realm"',
      [{ scheme: 'basic', params: { realm: 'a "quoted" realm' } }],
    ],
    [
      '5 two challenges in one header',
      'Basic realm="x", Bearer realm="https://r.example/t",service="y"',
      [
        { scheme: 'basic', params: { realm: 'x' } },
        { scheme: 'bearer', params: { realm: 'https://r.example/t', service: 'y' } },
      ],
    ],
    [
      '6 unquoted values, spaces, odd case',
      'BEARER Realm=https://r.example/t , Service = y',
      [{ scheme: 'bearer', params: { realm: 'https://r.example/t', service: 'y' } }],
    ],
    [
      '7 insufficient scope with two scopes',
      'Bearer realm="https://r/t",scope="repository:a:pull repository:b:pull",error="insufficient_scope"',
      [
        {
          scheme: 'bearer',
          params: {
            realm: 'https://r/t',
            scope: 'repository:a:pull repository:b:pull',
            error: 'insufficient_scope',
          },
        },
      ],
    ],
    ['8 scheme only', 'Negotiate', [{ scheme: 'negotiate', params: {} }]],
    ['9 unterminated quote', 'Basic realm="open', [{ scheme: 'basic', params: {} }]],
    ['10 empty', '', []],
  ])('%s', (_name, header, expected) => {
    expect(parseChallenges(header)).toEqual(expected)
  })

  it('gives nothing for a missing header', () => {
    expect(parseChallenges(null)).toEqual([])
  })
})

describe('pickChallenge', () => {
  it('prefers a Bearer challenge with a realm, else Basic, else none', () => {
    const both = parseChallenges('Basic realm="x", Bearer realm="https://r/t"')
    expect(pickChallenge(both)?.scheme).toBe('bearer')
    expect(pickChallenge(parseChallenges('Bearer service="no-realm", Basic realm="x"'))).toEqual({
      scheme: 'basic',
      params: { realm: 'x' },
    })
    expect(pickChallenge(parseChallenges('Negotiate'))).toBeUndefined()
  })
})

describe('tokenUrl', () => {
  it('asks for the service and each scope of the challenge', () => {
    const [bearer] = parseChallenges(
      'Bearer realm="https://auth.example/token?x=1",service="reg",scope="repository:a:pull repository:b:pull"',
    )
    const url = tokenUrl(bearer, 'repository:ignored:pull')
    expect(url.origin + url.pathname).toBe('https://auth.example/token')
    expect(url.searchParams.get('x')).toBe('1')
    expect(url.searchParams.get('service')).toBe('reg')
    expect(url.searchParams.getAll('scope')).toEqual(['repository:a:pull', 'repository:b:pull'])
  })

  it('falls back to the repository pull scope and refuses a realm that is not http(s)', () => {
    const [bearer] = parseChallenges('Bearer realm="https://auth.example/token"')
    expect(tokenUrl(bearer, 'repository:isg/app:pull').searchParams.getAll('scope')).toEqual([
      'repository:isg/app:pull',
    ])
    const [file] = parseChallenges('Bearer realm="file:///etc/passwd"')
    expect(() => tokenUrl(file, 's')).toThrow(/not an http\(s\) URL/)
  })
})
