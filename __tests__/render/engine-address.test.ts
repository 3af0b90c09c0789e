import { describe, expect, it } from '@jest/globals'
import { compareImages } from '../../src/compare/compare.js'
import type { ImageInfo, ImageOrigin } from '../../src/model/image.js'
import { renderComment } from '../../src/render/comment.js'
import { renderTerminal } from '../../src/render/terminal.js'
import { toJsonReport } from '../../src/report/json-report.js'
import type { Report } from '../../src/report/report.js'
import { image } from '../support/images.js'

/** Which engine was read (and built on) appears in the footer, the terminal and the JSON report. */

const engine = (endpoint: { host: string; context?: string }): ImageOrigin => ({
  kind: 'engine',
  store: 'containerd',
  driver: 'overlayfs',
  engineVersion: '26.1.5',
  apiVersion: '1.45',
  endpoint,
})

function report(base: ImageInfo, head: ImageInfo): Report {
  const comparison = compareImages(base, head, { basis: 'uncompressed' })
  return { entries: [{ comparison, rules: [], verdict: 'pass', findings: [] }], verdict: 'pass' }
}

const footerOf = (body: string) => body.split('\n').find((line) => line.includes('<br>PR: ')) ?? ''

const layers: Array<[string, string, number]> = [['a', 'COPY busybox /bin/busybox', 2_000_000]]
const remote = { host: 'tcp://10.0.0.5:2376', context: 'ci-remote' }

describe('the engine a report was made on', () => {
  const both = report(
    image('app:main', layers, { origin: engine(remote) }),
    image('app:pr', layers, { origin: engine(remote) }),
  )

  it('1. the comment footer names the host and the context, as code', () => {
    const footer = footerOf(renderComment(both))
    expect(footer).toContain(
      'containerd image store, engine `tcp://10.0.0.5:2376` (context `ci-remote`), sizes from',
    )
    expect(footer.match(/engine `tcp:\/\/10\.0\.0\.5:2376`/g)).toHaveLength(2)
  })

  it('2. without a context (DOCKER_HOST or the socket) only the host is named', () => {
    const local = { host: 'unix:///var/run/docker.sock' }
    const body = renderComment(
      report(
        image('app:main', layers, { origin: engine(local) }),
        image('app:pr', layers, { origin: engine(local) }),
      ),
    )
    expect(body).toContain('engine `unix:///var/run/docker.sock`, sizes from')
    expect(body).not.toContain('(context')
  })

  it('3. a hostile context name cannot end the code span or split the line', () => {
    const hostile = { host: 'tcp://h:2376', context: 'x`|<b>@team\nnext' }
    const body = renderComment(
      report(
        image('app:main', layers, { origin: engine(hostile) }),
        image('app:pr', layers, { origin: engine(hostile) }),
      ),
    )
    const footer = footerOf(body)
    expect(footer).toContain('(context `x<b>@team next`)')
  })

  it('4. the terminal report and the JSON report carry it too', () => {
    expect(renderTerminal(both)).toContain(
      'containerd image store, engine tcp://10.0.0.5:2376 (context "ci-remote"))',
    )
    const json = toJsonReport(both, '0.0.0').entries[0]
    expect(json.head).toMatchObject({ engineHost: remote.host, engineContext: 'ci-remote' })
    const archive = image('a', layers, {
      origin: { kind: 'archive', format: 'oci', path: 'x' },
    })
    const plain = toJsonReport(report(archive, archive), '0.0.0').entries[0]
    expect(plain.head).toMatchObject({ engineHost: null, engineContext: null })
  })
})
