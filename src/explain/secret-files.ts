/**
 * Secret-like files in the PR image: path, kind and layer, never the content (the model has
 * none). A security finding, whatever the size: it runs even when the image did not grow, and
 * a copy a later layer hid still counts (it is still in the layers anyone can pull).
 */
import type { SecretFile } from '../model/files.js'
import { fileScope, MAX_PATHS, type FileScope } from './evidence.js'
import type { ExplainRule, Finding } from './types.js'

const sameSecret = (a: SecretFile) => (b: SecretFile) => a.path === b.path && a.kind === b.kind

function secretFinding(scope: FileScope, secrets: SecretFile[], inBase: boolean): Finding[] {
  if (secrets.length === 0) return []
  const sorted = [...secrets].sort((a, b) => a.layer - b.layer || (a.path < b.path ? -1 : 1))
  return [
    {
      key: 'secret-file',
      layers: [...new Set(sorted.map((s) => s.layer))].sort((a, b) => a - b),
      evidence: {
        kind: 'secret-files',
        secrets: sorted.map((s) => ({
          path: s.path,
          kind: s.kind,
          layer: s.layer,
          visible: s.visible,
          instruction: scope.instruction(s.layer),
        })),
      },
      ...(inBase ? { inBase } : {}),
      paths: sorted.slice(0, MAX_PATHS).map((s) => ({
        path: s.path,
        bytes: secretBytes(scope, s),
        layer: s.layer,
      })),
    },
  ]
}

/** The bytes of the secret's copy: the visible one, or the hidden copy its layer stored */
function secretBytes(scope: FileScope, secret: SecretFile): number {
  const seen = scope.head.view.get(secret.path)
  if (seen?.layer === secret.layer) return seen.bytes
  const copy = scope.head.hidden.find((c) => c.path === secret.path && c.layer === secret.layer)
  return copy?.bytes ?? 0
}

/** The PR image holds files that look like secrets; those the base image has too are marked. */
export const secretFiles: ExplainRule = {
  key: 'secret-file',
  basis: 'files',
  always: true,
  explain(context) {
    const scope = fileScope(context)
    if (!scope) return []
    const inBase = (s: SecretFile) => scope.base?.secrets.some(sameSecret(s)) ?? false
    return [
      ...secretFinding(
        scope,
        scope.head.secrets.filter((s) => !inBase(s)),
        false,
      ),
      ...secretFinding(scope, scope.head.secrets.filter(inBase), true),
    ]
  },
}
