/**
 * Renders a Mermaid diagram with the real `mermaid` package (its browser bundle, from
 * node_modules) in headless Chromium (Debian's `chromium`, installed by scripts/testbed.sh up),
 * and returns the SVG it drew or the error it gave. Like the engines, Chromium is required: a
 * missing one fails the test with a message that says how to install it.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { ROOT } from './engines.js'

const run = promisify(execFile)
export const CHROMIUM = process.env.ISG_CHROMIUM ?? 'chromium'

export type MermaidResult = { status: 'ok'; svg: string } | { status: 'error'; message: string }

/** The diagram's source without its ```mermaid fence. */
export function mermaidSource(block: string): string {
  const match = /^```mermaid\n([\s\S]*)\n```$/.exec(block)
  if (!match) throw new Error(`not a fenced Mermaid block: ${block.slice(0, 80)}`)
  return match[1]
}

/** A page that parses and renders `source` (as GitHub does: parse errors are errors) into #out. */
function page(source: string): string {
  const bundle = pathToFileURL(join(ROOT, 'node_modules/mermaid/dist/mermaid.min.js')).href
  // JSON in a script: `<` escaped, so nothing in the source can close the script element.
  const code = JSON.stringify(source).replace(/</g, '\\u003c')
  return `<!doctype html><html><body><div id="out" data-status="pending"></div>
<script src="${bundle}"></script>
<script>
const out = document.getElementById('out')
const code = ${code}
mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' })
mermaid
  .parse(code)
  .then(() => mermaid.render('chart', code))
  .then(({ svg }) => { out.innerHTML = svg; out.dataset.status = 'ok' })
  .catch((e) => { out.textContent = String(e && e.message || e); out.dataset.status = 'error' })
</script></body></html>`
}

export async function requireChromium(): Promise<void> {
  try {
    await run(CHROMIUM, ['--version'], { timeout: 30_000 })
  } catch (error) {
    throw new Error(
      `Chromium (${CHROMIUM}) is needed to render the Mermaid chart: install it with scripts/testbed.sh up (apt-get install chromium) (${String(error)})`,
      { cause: error },
    )
  }
}

export async function renderMermaid(source: string): Promise<MermaidResult> {
  const dir = await mkdtemp(join(tmpdir(), 'isg-mermaid-'))
  try {
    const file = join(dir, 'page.html')
    await writeFile(file, page(source))
    const { stdout } = await run(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--allow-file-access-from-files',
        `--user-data-dir=${join(dir, 'profile')}`,
        '--virtual-time-budget=20000',
        '--dump-dom',
        pathToFileURL(file).href,
      ],
      { timeout: 90_000, maxBuffer: 32 * 1024 * 1024 },
    )
    const status = /<div id="out" data-status="([a-z]+)">/.exec(stdout)?.[1]
    const body = /<div id="out" data-status="[a-z]+">([\s\S]*?)<\/div>\s*<script/.exec(stdout)?.[1]
    if (status === 'ok' && body) return { status: 'ok', svg: body }
    if (status === 'error') return { status: 'error', message: body ?? '' }
    throw new Error(
      `Mermaid did not finish in Chromium (status ${status}): ${stdout.slice(0, 500)}`,
    )
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

/** What an xychart drew: the x axis's labels, in order, and the points of its first line. */
export function xyChartOf(svg: string): {
  labels: Array<{ text: string; x: number }>
  points: Array<{ x: number; y: number }>
} {
  const axis = /<g class="bottom-axis">([\s\S]*?)<g class="left-axis">/.exec(svg)?.[1] ?? ''
  const labelGroup = /<g class="label">([\s\S]*?)<\/g>/.exec(axis)?.[1] ?? ''
  const labels = [
    ...labelGroup.matchAll(
      /<text[^>]*transform="translate\(([-0-9.]+),[^"]*"[^>]*>([^<]*)<\/text>/g,
    ),
  ].map((m) => ({ text: m[2], x: Number(m[1]) }))
  const d = /<g class="line-plot-0"><path d="([^"]*)"/.exec(svg)?.[1] ?? ''
  const points = [...d.matchAll(/[ML]\s*([-0-9.]+)[ ,]([-0-9.]+)/g)].map((m) => ({
    x: Number(m[1]),
    y: Number(m[2]),
  }))
  return { labels, points }
}
