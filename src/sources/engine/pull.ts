import type Docker from 'dockerode'
import type { Readable } from 'node:stream'
import type { Logger } from '../../util/log.js'
import { UserError } from '../../util/errors.js'
import type { Credentials } from '../credentials/index.js'

interface PullEvent {
  id?: string
  status?: string
  error?: string
  errorDetail?: { message?: string }
}

/**
 * Pulls an image, logging one line per layer state change (not every progress tick). An
 * error reported inside the stream (the engine answers 200, then `{"error": …}`) is an error.
 * `credentials` must be the login for the reference's own registry: the engine sends the auth
 * config to whichever registry the reference names.
 */
export async function pullImage(
  docker: Docker,
  reference: string,
  credentials: Credentials | undefined,
  log: Logger,
  platform?: string,
): Promise<void> {
  const authconfig = credentials && {
    username: credentials.username,
    password: credentials.password,
    ...(credentials.identityToken ? { identitytoken: credentials.identityToken } : {}),
  }
  const as = credentials ? ` as ${credentials.username || 'an identity token'}` : ''
  log.info(`Pulling ${reference}${as}`)
  const options = { ...(authconfig ? { authconfig } : {}), ...(platform ? { platform } : {}) }
  const stream = (await docker.pull(reference, options)) as Readable
  const lastStatus = new Map<string, string>()
  for await (const event of jsonLines(stream)) {
    const failure = event.errorDetail?.message ?? event.error
    if (failure) throw new UserError(`Pulling ${reference} failed: ${failure}`)
    if (!event.status) continue
    const key = event.id ?? ''
    if (lastStatus.get(key) === event.status) continue
    lastStatus.set(key, event.status)
    log.info(`  ${event.id ? `${event.id}: ` : ''}${event.status}`)
  }
}

async function* jsonLines(stream: Readable): AsyncGenerator<PullEvent> {
  let pending = ''
  for await (const chunk of stream) {
    pending += chunk.toString()
    const lines = pending.split('\n')
    pending = lines.pop() ?? ''
    for (const line of lines) if (line.trim()) yield JSON.parse(line) as PullEvent
  }
  if (pending.trim()) yield JSON.parse(pending) as PullEvent
}
