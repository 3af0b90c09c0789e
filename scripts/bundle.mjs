// Bundles the action (dist/index.js) and the CLI (dist/cli.js) with esbuild, as ESM for Node 20+.
// Every dependency is inlined (they are devDependencies: an install of the package pulls nothing).
// The CLI's `#!/usr/bin/env node` comes from src/cli/index.ts: esbuild keeps an entry point's
// hashbang as its first line, above the banner, and writes that file executable (package.json bin).
//
// dockerode needs two adjustments to survive bundling:
//  - lib/session.js and lib/buildkit.js load @grpc/grpc-js, protobufjs and .proto files from disk;
//    they are only used for BuildKit sessions (docker.buildImage with version 2 or a session),
//    which this tool never opens, so they are replaced by a stub that throws if ever called;
//  - ssh2 (DOCKER_HOST=ssh://) has optional native parts (cpu-features, sshcrypto.node) that it
//    loads inside try/catch; they are left out and ssh2 falls back to pure JS.
import { build } from 'esbuild'
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, join, relative, resolve } from 'node:path'

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'))

/** Paths in plugin namespaces are hashed into chunk names: keep them independent of the clone's folder. */
const repoRelative = (path) => relative(process.cwd(), path)

const stubBuildkitSession = {
  name: 'stub-dockerode-session',
  setup(b) {
    b.onResolve({ filter: /^\.\/(session|buildkit)$/ }, (args) =>
      args.importer.includes('dockerode')
        ? { path: 'dockerode-session', namespace: 'stub' }
        : undefined,
    )
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
      contents:
        'module.exports = function buildkitUnavailable() { throw new Error("BuildKit sessions are not bundled in image-size-gate") }',
      loader: 'js',
    }))
  },
}

// Chunk names carry content hashes, so the bundle is written to an empty folder (no stale chunk
// is left behind) and swapped in with two renames: an action started meanwhile sees the old or
// the new bundle whole, never half of each.
const dist = new URL('../dist', import.meta.url).pathname
const staging = `${dist}.tmp-${process.pid}`
const retired = `${dist}.old-${process.pid}`
await rm(staging, { recursive: true, force: true })

// @actions/core imports its OIDC client, and with it @actions/http-client and undici (about
// 400 kB), at start-up although this action never asks for an ID token. The stub loads the real
// client on first use, keeping it out of the start-up path (the bench's "bundle load" row).
const lazyOidcClient = {
  name: 'lazy-actions-core-oidc',
  setup(b) {
    b.onResolve({ filter: /^\.\/oidc-utils\.js$/ }, (args) =>
      args.namespace === 'file' && args.importer.includes('@actions/core')
        ? { path: repoRelative(join(args.resolveDir, 'oidc-utils.js')), namespace: 'lazy-oidc' }
        : undefined,
    )
    b.onLoad({ filter: /.*/, namespace: 'lazy-oidc' }, (args) => ({
      contents: `export const OidcClient = {
        async getIDToken(audience) {
          const { OidcClient } = await import('./oidc-utils.js')
          return OidcClient.getIDToken(audience)
        },
      }`,
      resolveDir: dirname(resolve(args.path)),
      loader: 'js',
    }))
  },
}

// docker-modem requires its ssh agent, and with it ssh2 (~300 kB with its crypto), at start-up;
// only DOCKER_HOST=ssh:// uses it. The agent is bundled on its own as dist/chunks/ssh-agent.cjs,
// and docker-modem gets a stub that requires that file when an ssh agent is first asked for:
// the action's start-up neither parses nor runs ssh2.
const SSH_AGENT = 'ssh-agent.cjs'
const lazySshAgent = {
  name: 'lazy-docker-modem-ssh',
  setup(b) {
    b.onResolve({ filter: /^\.\/ssh$/ }, (args) =>
      args.namespace === 'file' && args.importer.includes('docker-modem')
        ? { path: 'docker-modem-ssh', namespace: 'lazy-ssh' }
        : undefined,
    )
    b.onResolve({ filter: new RegExp(`^\\./${SSH_AGENT.replace('.', '\\.')}$`) }, (args) => ({
      path: args.path,
      external: true,
    }))
    b.onLoad({ filter: /.*/, namespace: 'lazy-ssh' }, () => ({
      // `require` is the banner's createRequire of the chunk, which sits next to the agent.
      contents: `module.exports = function (options) { return require('./${SSH_AGENT}')(options) }`,
      loader: 'js',
    }))
  },
}

const result = await build({
  entryPoints: { index: 'src/index.ts', cli: 'src/cli/index.ts' },
  outdir: staging,
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  external: ['cpu-features', '*.node'],
  // CommonJS dependencies call require() for Node built-ins; ESM output needs a real require.
  banner: {
    js: [
      "import { createRequire as __isgCreateRequire } from 'node:module';",
      "import { fileURLToPath as __isgFileURLToPath } from 'node:url';",
      'const require = __isgCreateRequire(import.meta.url);',
      'const __filename = __isgFileURLToPath(import.meta.url);',
      "const __dirname = __filename.slice(0, __filename.lastIndexOf('/'));",
    ].join(' '),
  },
  define: { 'process.env.IMAGE_SIZE_GATE_VERSION': JSON.stringify(pkg.version) },
  plugins: [stubBuildkitSession, lazyOidcClient, lazySshAgent],
  logLevel: 'warning',
  metafile: true,
})
const agent = await build({
  entryPoints: ['node_modules/docker-modem/lib/ssh.js'],
  outfile: `${staging}/chunks/${SSH_AGENT}`,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  external: ['cpu-features', '*.node'],
  logLevel: 'warning',
  metafile: true,
})
await writeLicenses(
  [...Object.keys(result.metafile.inputs), ...Object.keys(agent.metafile.inputs)],
  `${staging}/licenses.txt`,
)

await rename(dist, retired).catch((error) => {
  if (error.code !== 'ENOENT') throw error
})
await rename(staging, dist)
await rm(retired, { recursive: true, force: true })

/** dist/licenses.txt: the name, version, licence and licence text of every bundled package. */
async function writeLicenses(inputs, path) {
  const roots = new Set()
  for (const input of inputs) {
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input.replace(/^[a-z-]+:/, ''))
    if (match) roots.add(relative(process.cwd(), resolve(match[1])))
  }
  const sections = []
  for (const root of [...roots].sort()) {
    const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'))
    const files = await readdir(root)
    const licenseFile = files.find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f))
    const text = licenseFile
      ? await readFile(join(root, licenseFile), 'utf8')
      : '(no licence file in the package)'
    sections.push(`${pkg.name}@${pkg.version} (${pkg.license ?? 'unknown'})\n\n${text.trim()}\n`)
  }
  await writeFile(path, `${sections.join('\n' + '-'.repeat(72) + '\n\n')}`)
}
