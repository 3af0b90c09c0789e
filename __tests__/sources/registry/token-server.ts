import {
  createServer,
  request,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http'

/**
 * A loopback registry front that speaks the token flow the way Docker Hub, GHCR and Harbor do:
 * `/v2/…` answers 401 with a Bearer challenge unless the request carries the token it issues at
 * its realm, and proxies to the real registry behind it when it does. Blob GETs can be redirected
 * to a second server on another port (another origin, like a CDN), which must never see the
 * registry's credentials.
 */
export interface TokenServerOptions {
  /** host:port of the registry behind it */
  upstream: string
  /** Field of the token response: Docker Hub sends both, some registries only one */
  tokenField: 'token' | 'access_token'
  /** When set, the realm issues tokens only for these basic credentials */
  login?: { user: string; pass: string }
  /** Redirect blob GETs to the "CDN" server */
  redirectBlobs?: boolean
  /** host:port the challenge names as the realm's; default: the front itself */
  realmHost?: string
  /** Redirect token requests to the "CDN" server (another origin), which issues tokens too */
  redirectToken?: boolean
  /**
   * Issue tokens only for an OAuth2 refresh-token POST with this token (an identity token),
   * answering `access_token` and a fresh `refresh_token`
   */
  refreshToken?: string
}

export interface SeenRequest {
  method: string
  path: string
  authorization?: string
}

export interface TokenServer {
  /** host:port of the front, the registry name to use in references */
  registry: string
  tokenRequests: Array<
    SeenRequest & { service: string | null; scopes: string[]; form?: Record<string, string> }
  >
  registryRequests: SeenRequest[]
  cdnRequests: SeenRequest[]
  close(): Promise<void>
}

export const SERVICE = 'isg-token-test'
/** The access token the realm issues (a secret to mask) */
export const TOKEN = 'isg-test-token-1'
/** The refresh token the realm hands back with an access token (a secret to mask) */
export const NEW_REFRESH_TOKEN = 'isg-test-new-refresh-token'

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no address')
  return `127.0.0.1:${address.port}`
}

function proxy(upstream: string, req: IncomingMessage, res: ServerResponse): void {
  const headers: Record<string, string> = {}
  if (req.headers.accept) headers.accept = req.headers.accept
  const out = request(
    {
      host: upstream.split(':')[0],
      port: Number(upstream.split(':')[1]),
      path: req.url,
      method: req.method,
      headers,
    },
    (upstreamRes) => {
      res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers)
      upstreamRes.pipe(res)
    },
  )
  out.on('error', (error) => res.destroy(error))
  out.end()
}

function seen(req: IncomingMessage): SeenRequest {
  return { method: req.method ?? '', path: req.url ?? '', authorization: req.headers.authorization }
}

async function readForm(req: IncomingMessage): Promise<Record<string, string>> {
  let text = ''
  for await (const chunk of req) text += String(chunk)
  return Object.fromEntries(new URLSearchParams(text))
}

async function issueToken(
  server: TokenServer,
  options: TokenServerOptions,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', `http://${server.registry}`)
  const form = req.method === 'POST' ? await readForm(req) : undefined
  server.tokenRequests.push({
    ...seen(req),
    service: form ? (form.service ?? null) : url.searchParams.get('service'),
    scopes: form ? (form.scope ?? '').split(' ').filter(Boolean) : url.searchParams.getAll('scope'),
    ...(form ? { form } : {}),
  })
  if (options.refreshToken) {
    const good = form?.grant_type === 'refresh_token' && form.refresh_token === options.refreshToken
    res.writeHead(good ? 200 : 400, { 'content-type': 'application/json' })
    res.end(
      good
        ? JSON.stringify({ access_token: TOKEN, refresh_token: NEW_REFRESH_TOKEN, expires_in: 300 })
        : '{"error":"invalid_grant"}',
    )
    return
  }
  const expected = options.login
    ? `Basic ${Buffer.from(`${options.login.user}:${options.login.pass}`).toString('base64')}`
    : undefined
  if (expected && req.headers.authorization !== expected) {
    res.writeHead(401, { 'content-type': 'application/json' })
    res.end('{"details":"incorrect username or password"}')
    return
  }
  res.writeHead(200, { 'content-type': 'application/json' })
  res.end(JSON.stringify({ [options.tokenField]: TOKEN, expires_in: 300 }))
}

function answerRegistry(
  server: TokenServer,
  options: TokenServerOptions,
  cdn: string,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  server.registryRequests.push(seen(req))
  if (req.headers.authorization !== `Bearer ${TOKEN}`) {
    const name = /^\/v2\/(.+?)\/(?:manifests|blobs|tags)\//.exec(req.url ?? '')?.[1]
    const scope = name ? `,scope="repository:${name}:pull"` : ''
    res.writeHead(401, {
      'content-type': 'application/json',
      'www-authenticate': `Bearer realm="http://${options.realmHost ?? server.registry}/token",service="${SERVICE}"${scope}`,
    })
    res.end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}')
    return
  }
  if (options.redirectBlobs && req.method === 'GET' && /\/blobs\/sha256:/.test(req.url ?? '')) {
    res.writeHead(307, { location: `http://${cdn}${req.url}?signature=abc` })
    res.end()
    return
  }
  proxy(options.upstream, req, res)
}

export async function startTokenServer(options: TokenServerOptions): Promise<TokenServer> {
  const front = createServer()
  const cdnServer = createServer()
  const server: TokenServer = {
    registry: await listen(front),
    tokenRequests: [],
    registryRequests: [],
    cdnRequests: [],
    close: async () => {
      front.closeAllConnections()
      cdnServer.closeAllConnections()
      await Promise.all([front, cdnServer].map((s) => new Promise((r) => s.close(r))))
    },
  }
  const cdn = await listen(cdnServer)
  front.on('request', (req, res) => {
    if (req.url?.startsWith('/token') && options.redirectToken) {
      res.writeHead(307, { location: `http://${cdn}${req.url}` })
      res.end()
    } else if (req.url?.startsWith('/token')) void issueToken(server, options, req, res)
    else answerRegistry(server, options, cdn, req, res)
  })
  cdnServer.on('request', (req, res) => {
    server.cdnRequests.push(seen(req))
    if (req.url?.startsWith('/token')) return void issueToken(server, options, req, res)
    req.url = (req.url ?? '').replace(/\?.*$/, '')
    proxy(options.upstream, req, res)
  })
  return server
}
