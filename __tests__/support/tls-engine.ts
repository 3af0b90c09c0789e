import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { connect as connectUnix, createServer as createTcpServer, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer as createTlsServer, type TLSSocket } from 'node:tls'

/**
 * Certificates made with openssl at test time: a CA, a server certificate for 127.0.0.1 and
 * localhost, and a client certificate, each signed by the CA; plus a second CA nobody trusts.
 */
export interface TestCertificates {
  dir: string
  ca: Buffer
  serverCert: Buffer
  serverKey: Buffer
  clientCert: Buffer
  clientKey: Buffer
  /** A CA that signed none of the above */
  otherCa: Buffer
  /** A DOCKER_CERT_PATH folder: ca.pem, cert.pem and key.pem (the client's) */
  certPath: string
  remove(): void
}

export function makeCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'isg-engine-certs-'))
  const ssl = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' })
  const newCa = (name: string) =>
    ssl(
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-subj',
        `/CN=${name}`,
      ].concat(['-keyout', `${name}-key.pem`, '-out', `${name}.pem`]),
    )
  newCa('ca')
  newCa('other-ca')
  const sign = (name: string, extensions: string) => {
    ssl(
      ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${name}`].concat([
        '-keyout',
        `${name}-key.pem`,
        '-out',
        `${name}.csr`,
      ]),
    )
    writeFileSync(join(dir, `${name}.ext`), extensions)
    ssl(
      ['x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca-key.pem'].concat([
        '-CAcreateserial',
        '-days',
        '2',
        '-extfile',
        `${name}.ext`,
        '-out',
        `${name}.pem`,
      ]),
    )
  }
  sign('server', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n')
  sign('client', 'extendedKeyUsage=clientAuth\n')
  const read = (file: string) => readFileSync(join(dir, file))
  const certPath = join(dir, 'docker-cert-path')
  mkdirSync(certPath)
  writeFileSync(join(certPath, 'ca.pem'), read('ca.pem'))
  writeFileSync(join(certPath, 'cert.pem'), read('client.pem'))
  writeFileSync(join(certPath, 'key.pem'), read('client-key.pem'))
  return {
    certPath,
    dir,
    ca: read('ca.pem'),
    serverCert: read('server.pem'),
    serverKey: read('server-key.pem'),
    clientCert: read('client.pem'),
    clientKey: read('client-key.pem'),
    otherCa: read('other-ca.pem'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  }
}

/** A loopback front for an engine's unix socket: plain TCP or TLS that demands a client cert. */
export interface EngineFront {
  port: number
  /** Connections that got through (TLS: after a verified handshake) */
  connections: number
  close(): Promise<void>
}

export async function startEngineFront(
  socketPath: string,
  certificates?: TestCertificates,
): Promise<EngineFront> {
  const sockets = new Set<Socket>()
  const front = { port: 0, connections: 0, close: async () => {} }
  const forward = (client: Socket | TLSSocket) => {
    front.connections++
    const engine = connectUnix(socketPath)
    for (const s of [client, engine]) {
      sockets.add(s)
      s.on('error', () => s.destroy())
      s.on('close', () => sockets.delete(s))
    }
    client.pipe(engine).pipe(client)
  }
  const server = certificates
    ? createTlsServer(
        {
          ca: certificates.ca,
          cert: certificates.serverCert,
          key: certificates.serverKey,
          requestCert: true,
          rejectUnauthorized: true,
        },
        forward,
      )
    : createTcpServer(forward)
  server.on('tlsClientError', () => {})
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  front.port = (server.address() as { port: number }).port
  front.close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy()
      server.close(() => resolve())
    })
  return front
}
