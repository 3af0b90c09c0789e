/**
 * Registry failures as one actionable line each. Anything the user can fix is a `UserError`;
 * an image or tag that is not there is an `ImageNotFoundError` (a missing base is no error).
 */
import { UserError } from '../../util/errors.js'
import type { Credentials } from '../credentials/index.js'
import { ImageNotFoundError } from '../errors.js'
import { tryReadErrors } from './http-body.js'
import { DEFAULT_RETRY_POLICY, REGISTRY_TIMEOUT_VARIABLE } from './retry-policy.js'

/** What a request was for, to name it in messages. */
export interface RequestSubject {
  /** Registry as the reference names it (`docker.io`, `127.0.0.1:5000`) */
  registry: string
  repository: string
  /** `image isg/app:pr`, `config blob sha256:…`, … */
  what: string
  /** Whether a 404 means the image is missing (manifests) rather than a broken registry (blobs) */
  missingIsNotFound: boolean
}

const NOT_FOUND_CODES = new Set(['MANIFEST_UNKNOWN', 'NAME_UNKNOWN'])
const LOGIN_ADVICE =
  'set the registry-username and registry-password inputs, or run docker/login-action before this step'

/**
 * Why a `fetch` failed: its cause's code (ECONNREFUSED, ENOTFOUND, …) or message ("bad port"),
 * looked up by property, since errors from node core are from another realm under jest.
 */
function networkReason(error: unknown): string {
  const cause = typeof error === 'object' && error !== null ? Reflect.get(error, 'cause') : error
  if (typeof cause === 'object' && cause !== null) {
    const code: unknown = Reflect.get(cause, 'code')
    const message: unknown = Reflect.get(cause, 'message')
    if (typeof code === 'string') return code
    if (typeof message === 'string') return message
  }
  return error instanceof Error ? error.message : String(error)
}

export function unreachableError(url: string, error: unknown): UserError {
  const reason = networkReason(error)
  if (/^no (response|data) in /.test(reason) || /TIMEOUT$/.test(reason)) {
    return new UserError(
      `The registry at ${url} did not answer (${reason}, after retries): check that it is up; on a slow network raise ${REGISTRY_TIMEOUT_VARIABLE} (seconds, default ${DEFAULT_RETRY_POLICY.headersTimeoutMs / 1000})`,
      { cause: error },
    )
  }
  const https = url.startsWith('https:')
    ? '; a plain-HTTP registry must be listed in insecure-registries (loopback ones always may)'
    : ''
  return new UserError(
    `Cannot reach the registry at ${url} (${reason}): check the address and that the registry is up${https}`,
    { cause: error },
  )
}

export function deniedError(
  subject: Pick<RequestSubject, 'registry' | 'repository'>,
  status: number,
  credentials: Credentials | undefined,
): UserError {
  const who = credentials ? `as ${credentials.username}` : 'anonymously'
  const advice = credentials
    ? `check that the password or token of ${credentials.username} is right and may pull ${subject.repository}`
    : LOGIN_ADVICE
  return new UserError(
    `The registry ${subject.registry} denied access to ${subject.repository} (${status}, ${who}): ${advice}`,
  )
}

/** The error for a response that is not 2xx; reads (a capped part of) its body. */
export async function responseError(
  response: Response,
  subject: RequestSubject,
  credentials: Credentials | undefined,
): Promise<UserError> {
  const info = await tryReadErrors(response)
  if (response.status === 401 || response.status === 403) {
    return deniedError(subject, response.status, credentials)
  }
  const unknown = info.codes.some((code) => NOT_FOUND_CODES.has(code))
  if (subject.missingIsNotFound && (response.status === 404 || unknown)) {
    // a HEAD has no body, so no code: the message still says what was not found
    const why = info.codes.length ? info.codes.join(', ') : 'not found'
    return new ImageNotFoundError(
      `The registry ${subject.registry} has no ${subject.what} (${response.status} ${why})`,
    )
  }
  const detail = [info.codes.join(', '), info.message].filter(Boolean).join(': ')
  const advice =
    response.status === 429
      ? ': the registry limits this runner’s requests; run again later, or log in for a higher limit'
      : response.status >= 500
        ? ': the registry is failing; run again later'
        : ''
  return new UserError(
    `The registry ${subject.registry} answered ${[response.status, response.statusText].filter(Boolean).join(' ')} for ${subject.what}${detail ? ` (${detail})` : ''}${advice}`,
  )
}
