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

/** `.env.example` and friends document the variables; they are meant to be shared */
const ENV_TEMPLATE = /^\.env\.(?:example|sample|template|dist|defaults)$/

const KUBE_CONFIG = /\/\.kube\/config$/
const GCLOUD_CREDENTIALS = /\/\.config\/gcloud\/application_default_credentials\.json$/

/** Whether the file at `path` may be a secret, so its content is worth a look. */
export function isSecretCandidate(path: string): boolean {
  const name = baseName(path)
  if (ENV_TEMPLATE.test(name)) return false
  return (
    name === '.env' ||
    name.startsWith('.env.') ||
    name === '.git-credentials' ||
    name === '.netrc' ||
    name === '_netrc' ||
    KUBE_CONFIG.test(path) ||
    GCLOUD_CREDENTIALS.test(path) ||
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
  return classifyConfig(path, name, text)
}

/** Kubernetes, Git, netrc and gcloud credentials: a token, password or key is set, not only named */
function classifyConfig(path: string, name: string, text: string): SecretKind | undefined {
  if (KUBE_CONFIG.test(path))
    return /^\s*(?:token|client-key-data|password)\s*:\s*(?!""|''|null\b|~)\S/m.test(text)
      ? 'kube-config'
      : undefined
  if (name === '.git-credentials')
    return /:\/\/[^:/\s]+:[^@\s]+@/.test(text) ? 'git-credentials' : undefined
  if (name === '.netrc' || name === '_netrc')
    return /(?:^|\s)password\s+\S/.test(text) ? 'netrc' : undefined
  if (GCLOUD_CREDENTIALS.test(path))
    return /"(?:refresh_token|private_key)"\s*:\s*"[^"]+"/.test(text)
      ? 'cloud-credentials'
      : undefined
  return undefined
}
