/**
 * A response body that survives its connection breaking: the bytes already passed on are kept
 * count of, and the rest is asked for with `Range: bytes=N-`. Only a 206 whose Content-Range
 * starts at N continues the stream; anything else lets the original error through, and the
 * reader starts over. Chunks pass through one at a time, nothing is held.
 * https://www.rfc-editor.org/rfc/rfc9110#name-range-requests
 */
import { transientReason } from './retry-policy.js'

export interface ResumeOptions {
  /** The rest of the body from `offset` on, or undefined when it cannot be had */
  reopen: (offset: number, reason: string) => Promise<ReadableStream<Uint8Array> | undefined>
  /** Resumes allowed for this body */
  maxResumes: number
}

/** Whether a GET's response can be resumed: a whole 200 body, not re-encoded on the way. */
export function isResumable(response: Response, url: URL): boolean {
  if (response.status !== 200 || !response.body) return false
  const encoding = response.headers.get('content-encoding')?.trim().toLowerCase()
  if (encoding && encoding !== 'identity') return false
  // The rest must be of the same bytes: content-addressed (a blob, or a digest the registry
  // names) or pinned with a strong validator sent back as If-Range.
  return (
    /\/blobs\/[a-z0-9]+:/.test(url.pathname) ||
    response.headers.has('docker-content-digest') ||
    strongEtag(response) !== undefined
  )
}

export function strongEtag(response: Response): string | undefined {
  const etag = response.headers.get('etag')?.trim()
  return etag && !etag.startsWith('W/') ? etag : undefined
}

/**
 * Where a 206 continues: the first byte of its Content-Range, when its total agrees with the
 * whole body's length (if both are known). Undefined for anything else.
 */
export function rangeStart(
  response: Response,
  wholeLength: number | undefined,
): number | undefined {
  if (response.status !== 206) return undefined
  const match = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(response.headers.get('content-range') ?? '')
  if (!match) return undefined
  const total = match[2] === '*' ? undefined : Number(match[2])
  if (total !== undefined && wholeLength !== undefined && total !== wholeLength) return undefined
  return Number(match[1])
}

/** The response with a body that resumes where it broke off (see the module comment). */
export function withResumableBody(response: Response, options: ResumeOptions): Response {
  if (!response.body) return response
  let reader = response.body.getReader()
  let offset = 0
  let resumes = 0
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        try {
          const { done, value } = await reader.read()
          if (done) return controller.close()
          offset += value.byteLength
          return controller.enqueue(value)
        } catch (error: unknown) {
          const reason = transientReason(error)
          if (reason === undefined || resumes >= options.maxResumes) throw error
          resumes += 1
          const rest = await options.reopen(offset, reason)
          if (!rest) throw error
          reader = rest.getReader()
        }
      }
    },
    async cancel(reason: unknown) {
      await reader.cancel(reason)
    },
  })
  const { status, statusText, headers } = response
  return new Response(stream, { status, statusText, headers })
}
