import { describe, expect, it } from '@jest/globals'
import type { Finding } from '../../src/explain/explain.js'
import { classifySecret, isSecretCandidate } from '../../src/files/secrets.js'
import { plainText, wordFinding } from '../../src/format/finding-words.js'
import type { SecretFile } from '../../src/model/files.js'
import { renderComment } from '../../src/render/comment.js'
import { renderTerminal } from '../../src/render/terminal.js'
import { toJsonReport } from '../../src/report/json-report.js'
import { BASE, BASE_VIEW, byKey, explainWith, run } from './evidence-fixtures.js'

/** Recognisable fake secret content: it must never come out of classifySecret's verdict */
const FAKE = 'ISG-FAKE-SECRET-4f1c9a'

/** A secret as the layer reader would report it: classified from content, only the kind kept */
function secretFrom(path: string, content: string, layer: number, visible = true): SecretFile {
  const kind = classifySecret(path, Buffer.from(content))
  if (!kind) throw new Error(`not a secret: ${path}`)
  return { path, kind, layer, visible }
}

const ENV = secretFrom('/app/.env', `API_TOKEN=${FAKE}\n`, 3)
const KEY = secretFrom(
  '/root/.ssh/id_ed25519',
  `-----BEGIN OPENSSH PRIVATE KEY-----\n${FAKE}\n-----END OPENSSH PRIVATE KEY-----\n`,
  3,
  false,
)

function allText(findings: Finding[]): string {
  const { comparison } = explainWith({ headLayers: BASE })
  const report = {
    entries: [{ comparison, rules: [], verdict: 'pass' as const, findings }],
    verdict: 'pass' as const,
  }
  return [
    renderComment(report),
    renderTerminal(report),
    JSON.stringify(toJsonReport(report, '0.0.0')),
    JSON.stringify(findings),
  ].join('\n')
}

describe('secret-file', () => {
  it('1: reported even when the image did not grow; path, kind and layer, never the content', () => {
    const { findings, comparison } = explainWith({
      headLayers: [...BASE, run('cp -r . /app', 0)],
      head: {
        view: [['/app/.env', 30, 3]],
        hidden: [
          { path: '/root/.ssh/id_ed25519', bytes: 411, layer: 3, hiddenBy: 3, how: 'deleted' },
        ],
        secrets: [ENV, KEY],
      },
    })
    expect(comparison.totals.deltaBytes).toBe(0)
    expect(findings.map((f) => f.key)).toEqual(['secret-file'])
    const [finding] = findings
    expect(finding.inBase).toBeUndefined()
    expect(finding.layers).toEqual([3])
    expect(finding.evidence).toEqual({
      kind: 'secret-files',
      secrets: [
        {
          path: '/app/.env',
          kind: 'env-file',
          layer: 3,
          visible: true,
          instruction: 'RUN cp -r . /app',
        },
        {
          path: '/root/.ssh/id_ed25519',
          kind: 'private-key',
          layer: 3,
          visible: false,
          instruction: 'RUN cp -r . /app',
        },
      ],
    })
    // Named with the bytes of the copy the layer stored, visible or hidden
    expect(finding.paths).toEqual([
      { path: '/app/.env', bytes: 30, layer: 3 },
      { path: '/root/.ssh/id_ed25519', bytes: 411, layer: 3 },
    ])
    const detail = plainText(wordFinding(finding).detail)
    expect(detail).toContain(
      '`/app/.env` holds an environment file with variables, from layer 3 (`RUN cp -r . /app`)',
    )
    expect(detail).toContain('`/root/.ssh/id_ed25519` holds a private key')
    expect(detail).toContain('deleted by a later layer but still in that layer')
    expect(plainText(wordFinding(finding).fix)).toContain('--mount=type=secret')
    const rendered = allText(findings)
    expect(rendered).toContain('`/root/.ssh/id_ed25519`')
    expect(rendered).not.toContain(FAKE)
    expect(rendered).not.toContain('API_TOKEN')
    expect(rendered).not.toContain('BEGIN OPENSSH')
    expect(rendered).toContain('**Secrets in the image**')
    expect(rendered).not.toContain('Why it grew')
  })

  it('2: secrets the PR brought come before bigger findings', () => {
    const { findings } = explainWith({
      layers: [run('apt-get update && apt-get install -y jq')],
      head: { view: [['/var/lib/apt/lists/x_Packages', 9e6, 3]], secrets: [ENV] },
    })
    expect(findings.map((f) => f.key)).toEqual(['secret-file', 'package-cache-left'])
  })

  it('3: a secret the base image has too is marked and listed apart', () => {
    const old = secretFrom('/etc/app/.npmrc', `//registry.npmjs.org/:_authToken=${FAKE}`, 2)
    const { findings } = explainWith({
      layers: [run('make')],
      base: { view: BASE_VIEW, secrets: [old] },
      head: { view: [['/app/bin', 5e6, 3]], secrets: [old, ENV] },
    })
    expect(byKey(findings, 'secret-file').map((f) => [f.inBase, f.layers])).toEqual([
      [undefined, [3]],
      [true, [2]],
    ])
    expect(wordFinding(byKey(findings, 'secret-file')[1]).labels).toEqual([
      'already in the base image',
    ])
    expect(allText(findings)).not.toContain(FAKE)
  })

  it('4: clean version: no secret-like files, nothing grew: no finding', () => {
    expect(explainWith({ headLayers: BASE }).findings).toEqual([])
  })

  it('5: without the file analysis there is no secret finding (no guess from instructions)', () => {
    const { findings } = explainWith({ headLayers: BASE, head: { secrets: [ENV] }, files: false })
    expect(findings).toEqual([])
  })
})

describe('classifySecret: new kinds, the kind only', () => {
  it.each([
    [1, '/root/.kube/config', `users:\n- name: a\n  user:\n    token: ${FAKE}\n`, 'kube-config'],
    [2, '/home/app/.kube/config', `    client-key-data: ${FAKE}\n`, 'kube-config'],
    [
      3,
      '/root/.kube/config',
      'clusters:\n- cluster:\n    server: https://k8s\n    token: ""\n',
      undefined,
    ],
    [4, '/root/.git-credentials', `https://bot:${FAKE}@github.com\n`, 'git-credentials'],
    [5, '/root/.git-credentials', 'https://github.com\n', undefined],
    [6, '/root/.netrc', `machine example.com login bot password ${FAKE}\n`, 'netrc'],
    [7, '/root/.netrc', 'machine example.com login bot\n', undefined],
    [
      8,
      '/root/.config/gcloud/application_default_credentials.json',
      `{"type":"authorized_user","refresh_token":"${FAKE}"}`,
      'cloud-credentials',
    ],
    [9, '/root/.config/gcloud/application_default_credentials.json', '{"type":"x"}', undefined],
  ])('%i: %s', (_n, path, content, kind) => {
    expect(isSecretCandidate(path)).toBe(true)
    expect(classifySecret(path, Buffer.from(content))).toBe(kind)
  })

  it.each([
    [1, '/app/.env.example'],
    [2, '/app/.env.sample'],
    [3, '/app/.env.template'],
    [4, '/app/kube/config'],
  ])('10.%i: not a candidate: %s', (_n, path) => {
    expect(isSecretCandidate(path)).toBe(false)
  })

  it('11: .env.production still is', () => {
    expect(isSecretCandidate('/app/.env.production')).toBe(true)
  })
})
