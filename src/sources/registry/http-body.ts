/**
 * Reading registry response bodies with a cap: a registry (or whatever answers on its address)
 * must not be able to make this process buffer an unbounded body.
 */
import { UserError } from '../../util/errors.js'
import { isRecord } from '../../util/json-check.js'
import { transientReason } from './retry-policy.js'

export const KiB = 1024
export const MiB = 1024 * KiB

/** Manifests and indexes: distribution refuses to store manifests over 4 MiB */
export const MANIFEST_LIMIT = 4 * MiB
/** Image configs: history-heavy configs reach a few hundred KiB */
export const CONFIG_LIMIT = 8 * MiB
/** Token responses (JWTs with many claims are a few KiB) */
export const TOKEN_LIMIT = 1 * MiB
/** Error documents, read only to name the error code */
export const ERROR_LIMIT = 64 * KiB

/** Reads the whole body, refusing one longer than `limit` bytes; `what` names it in errors. */
export async function readCapped(response: Response, limit: number, what: string): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN)
  const tooLong = () => new UserError(`${what} is larger than the ${limit}-byte limit`)
  if (declared > limit) {
    await response.body?.cancel()
    throw tooLong()
  }
  if (!response.body) return Buffer.alloc(0)
  const chunks: Uint8Array[] = []
  let total = 0
  try {
    for await (const chunk of response.body) {
      total += chunk.length
      if (total > limit) throw tooLong()
      chunks.push(chunk)
    }
  } catch (error: unknown) {
    if (error instanceof UserError) throw error
    // resumes and retries (retrying-fetch.ts) are behind us: the connection kept breaking
    const reason =
      transientReason(error) ?? (error instanceof Error ? error.message : String(error))
    throw new UserError(
      `The registry broke off ${what} after ${total} bytes (${reason}), and kept doing so when asked again: run again later`,
      { cause: error },
    )
  }
  return Buffer.concat(chunks, total)
}

/** Parses a capped body as JSON; invalid JSON is a `UserError` naming `what`. */
export function parseJson(body: Buffer, what: string): unknown {
  try {
    return JSON.parse(body.toString('utf8'))
  } catch (error: unknown) {
    throw new UserError(`${what} is not valid JSON`, { cause: error })
  }
}

export async function readJson(response: Response, limit: number, what: string): Promise<unknown> {
  return parseJson(await readCapped(response, limit, what), what)
}

/** A distribution error document's `errors[].code` and message, for messages. */
export interface RegistryErrorInfo {
  codes: string[]
  message?: string
}

/**
 * The codes of an error body (`{"errors":[{"code":"MANIFEST_UNKNOWN","message":…}]}`), best
 * effort: a body that is not such a document gives no codes.
 */
export async function tryReadErrors(response: Response): Promise<RegistryErrorInfo> {
  let text: string
  try {
    text = (await readCapped(response, ERROR_LIMIT, 'error body')).toString('utf8')
  } catch (error: unknown) {
    return { codes: [], message: `the error body could not be read (${String(error)})` }
  }
  const value = tryParseJson(text)
  const errors = isRecord(value) && Array.isArray(value.errors) ? value.errors : []
  const entries = errors.filter(isRecord)
  const codes = entries.map((e) => e.code).filter((c): c is string => typeof c === 'string')
  const first = entries.find((e) => typeof e.message === 'string')
  // a distribution error document without a message says it all with its codes
  const message = typeof first?.message === 'string' ? first.message : codes.length ? '' : text
  // eslint-disable-next-line no-control-regex
  const line = message.replace(/[\s\u0000-\u001f\u007f]+/g, ' ').trim()
  return { codes, message: line === '' ? undefined : line.slice(0, 200) }
}

function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error: unknown) {
    return { notJson: String(error) }
  }
}

/** Drops a body that is not needed, so the connection can be reused. */
export async function discard(response: Response): Promise<void> {
  await response.body?.cancel()
}
