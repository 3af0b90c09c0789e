// Bundles the action (dist/index.js) and the CLI (dist/cli.js) with esbuild, as ESM for Node 20+.
//
// dockerode needs two adjustments to survive bundling:
//  - lib/session.js loads @grpc/grpc-js and .proto files from disk at require time; it is only
//    used for BuildKit sessions (docker.buildImage with a session), which this tool never opens,
//    so it is replaced by a stub that throws if ever called;
//  - ssh2 (DOCKER_HOST=ssh://) has optional native parts (cpu-features, sshcrypto.node) that it
//    loads inside try/catch; they are left out and ssh2 falls back to pure JS.
import { build } from 'esbuild'
import { readFile } from 'node:fs/promises'

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'))

const stubBuildkitSession = {
  name: 'stub-dockerode-session',
  setup(b) {
    b.onResolve({ filter: /^\.\/session$/ }, (args) =>
      args.importer.includes('dockerode')
        ? { path: 'dockerode-session', namespace: 'stub' }
        : undefined,
    )
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({
      contents:
        'module.exports = function withSession() { throw new Error("BuildKit sessions are not bundled in image-size-gate") }',
      loader: 'js',
    }))
  },
}

await build({
  entryPoints: { index: 'src/index.ts', cli: 'src/cli/index.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  legalComments: 'linked',
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
  plugins: [stubBuildkitSession],
  logLevel: 'warning',
})
