import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * A Docker config folder (DOCKER_CONFIG) with a contexts store laid out as the docker CLI writes
 * it (`docker context create`): contexts/meta/<sha256 of the name>/meta.json and
 * contexts/tls/<sha256>/docker/{ca,cert,key}.pem.
 */
export interface DockerConfigDir {
  dir: string
  addContext(name: string, host: string, options?: ContextOptions): void
  /** Writes config.json with this `currentContext` (and nothing else). */
  setCurrentContext(name: string): void
  writeFile(relativePath: string, content: string | Buffer): string
  remove(): void
}

export interface ContextOptions {
  skipTlsVerify?: boolean
  /** Files of contexts/tls/<id>/docker; an empty object makes the folder with nothing in it */
  tls?: { ca?: string | Buffer; cert?: string | Buffer; key?: string | Buffer }
}

export const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex')

export function makeDockerConfig(prefix = 'isg-engine-cfg-'): DockerConfigDir {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  const writeFile = (relativePath: string, content: string | Buffer) => {
    const path = join(dir, relativePath)
    mkdirSync(join(path, '..'), { recursive: true })
    writeFileSync(path, content)
    return path
  }
  return {
    dir,
    writeFile,
    addContext(name, host, options = {}) {
      const id = sha256Hex(name)
      const meta = {
        Name: name,
        Metadata: {},
        Endpoints: { docker: { Host: host, SkipTLSVerify: options.skipTlsVerify ?? false } },
      }
      writeFile(join('contexts', 'meta', id, 'meta.json'), JSON.stringify(meta))
      if (options.tls) {
        mkdirSync(join(dir, 'contexts', 'tls', id, 'docker'), { recursive: true })
        for (const [file, content] of Object.entries(options.tls)) {
          if (content !== undefined) {
            writeFile(join('contexts', 'tls', id, 'docker', `${file}.pem`), content)
          }
        }
      }
    },
    setCurrentContext(name) {
      writeFile('config.json', JSON.stringify({ currentContext: name }))
    },
    remove() {
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
