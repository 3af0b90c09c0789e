/**
 * Files that look like secrets. A candidate is chosen by its path; its content is read (at
 * most `SECRET_MAX_BYTES`) only to decide, and only the kind is kept: the content never
 * leaves this module.
 */
import type { SecretKind } from '../model/files.js'

export const SECRET_MAX_BYTES = 64 * 1024

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1)
}

/** Whether the file at `path` may be a secret, so its content is worth a look. */
export function isSecretCandidate(path: string): boolean {
  const name = baseName(path)
  return (
    name === '.env' ||
    name.startsWith('.env.') ||
    /^id_(rsa|dsa|ecdsa|ed25519)$/.test(name) ||
    /\.(pem|key)$/.test(name) ||
    name === '.npmrc' ||
    name === '.pypirc' ||
    /\/\.aws\/credentials$/.test(path) ||
    /\/\.docker\/config\.json$/.test(path)
  )
}

/** The kind of secret `content` holds, or undefined when it holds none. */
export function classifySecret(path: string, content: Buffer): SecretKind | undefined {
  const name = baseName(path)
  const text = content.toString('latin1')
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) return 'private-key'
  if (name === '.env' || name.startsWith('.env.'))
    return /^\s*[A-Za-z_][\w.]*\s*=/m.test(text) ? 'env-file' : undefined
  if (name === '.npmrc')
    return /(_authToken|_auth|_password)\s*=/.test(text) ? 'npm-token' : undefined
  if (name === '.pypirc') return /^\s*password\s*[=:]/m.test(text) ? 'pypi-password' : undefined
  if (/\/\.aws\/credentials$/.test(path))
    return /aws_secret_access_key/i.test(text) ? 'cloud-credentials' : undefined
  if (/\/\.docker\/config\.json$/.test(path))
    return /"auth"\s*:\s*"[^"]+"/.test(text) ? 'docker-auth' : undefined
  return undefined
}
