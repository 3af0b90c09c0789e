/**
 * Findings in words: a title, what was seen, and the fix. Text from the PR (commands, paths,
 * package names) only ever becomes inline code, already made one line, truncated and stripped of
 * backticks and pipes (codeText); every renderer then says the prose and the code its own way.
 */
import type { DevManager, Evidence, Finding, LayerHit } from '../model/finding.js'
import { CACHE_LEFT, EVIDENCE_WORDING, variantAdvice, type Wording } from './evidence-words.js'
import { formatDelta, formatPercent } from './size.js'
import { layersText } from './text.js'
import { capitalise, code, list, quote, semicolons, words, type Words } from './words.js'

export type { Code, Words } from './words.js'
export { plainText } from './words.js'

export interface FindingWords {
  /** A short heading, e.g. "Build tools in the final image" */
  title: string
  /** What was seen, in which layers */
  detail: Words
  /** What to do about it */
  fix: Words
  /** How to take it: `hint` (a guess from the instructions), `already in the base image` */
  labels: string[]
}

const MAX_CLAUSES = 5

/** `Layer 6 runs …; layer 7 runs …; and 2 more layers`, one clause per layer. */
function layerClauses<T>(hits: Array<LayerHit<T>>, clause: (seen: T) => Words): Words {
  const clauses = hits
    .slice(0, MAX_CLAUSES)
    .map((h) => words`${layersText([h.layer])} ${clause(h.seen)}`)
  if (hits.length > MAX_CLAUSES) clauses.push([`and ${hits.length - MAX_CLAUSES} more layers`])
  return capitalise(clauses.flatMap((c, i) => (i === 0 ? c : ['; ', ...c])))
}

const DEV_INSTALL: Record<DevManager, { idiom: Words; caveat?: Words }> = {
  npm: {
    idiom: [code('npm ci --omit=dev')],
    caveat: words`If an ENV line sets ${code('NODE_ENV=production')}, npm already leaves them out.`,
  },
  pip: {
    idiom: words`${code('pip install --no-cache-dir -r requirements.txt')} (the runtime requirements only)`,
  },
  bundle: {
    idiom: [code("bundle config set --local without 'development test' && bundle install")],
    caveat: words`If an ENV line sets ${code('BUNDLE_WITHOUT')}, Bundler already leaves them out.`,
  },
}

const WORDING: { [K in Evidence['kind']]: Wording<K> } = {
  ...EVIDENCE_WORDING,
  'fat-base-image': (e) => ({
    title: 'Bigger base image',
    detail: [
      `The layers that come from the FROM image (the first ${e.headLayers} of the PR image, ` +
        `${e.baseLayers} in the base) grew by ${formatDelta(e.growth)}` +
        (e.percentOfBase === undefined
          ? ''
          : ` (${formatPercent(e.percentOfBase)} of the base image)`) +
        `; ${layersText(e.grown)} changed or are new. The base image changed or got bigger.`,
    ],
    fix: words`Switch the FROM line to a minimal variant of the base: ${code('-slim')} (a good default), ${code('-alpine')} (most apps work on Alpine without changes) or a distroless image such as ${code('gcr.io/distroless/nodejs20')} when no shell is needed.${variantAdvice(e.os)}`,
  }),
  'build-tools-in-final-image': (e) => ({
    title: 'Build tools in the final image',
    detail: words`Compilers, headers or toolchains ship in the final image. ${layerClauses(
      e.hits,
      (tools) => words`brings in ${list(tools.map((t) => [quote(t)]))}`,
    )}. They are needed to build, not to run.`,
    fix: words`Use a multi-stage build: install the tools and build in a first stage (${code('FROM … AS builder')}), then copy only the result into a clean final stage, e.g. ${code('COPY --from=builder /app/dist ./dist')}.`,
  }),
  'package-cache-left': (e) => ({
    title: 'Package manager cache left in the layer',
    detail: words`${capitalise(
      semicolons(
        e.caches.map(
          (c) =>
            words`${CACHE_LEFT[c.manager].hintLeft ?? CACHE_LEFT[c.manager].left} stays in ${layersText(c.layers)}`,
        ),
      ),
    )}. A later step cannot take it out of that layer again.`,
    fix: words`Clean up in the same RUN that installs, so the cache never lands in a layer: ${semicolons(
      e.caches.map((c) => [CACHE_LEFT[c.manager].idiom]),
    )}.`,
  }),
  'deleted-in-later-layer': (e) => {
    const shown = e.deletions.slice(0, 3)
    const clauses = shown.map(
      (d) =>
        words`${layersText([d.layer])} runs ${quote(d.command)}, deleting what ${layersText(d.creators)} (${formatDelta(d.creatorBytes)}) wrote`,
    )
    if (e.deletions.length > shown.length) clauses.push([`and ${e.deletions.length - 3} more`])
    return {
      title: 'Files deleted in a later layer still ship',
      detail: words`${capitalise(semicolons(clauses))}. Files deleted in a later layer still ship in the earlier one; the later layer only hides them.`,
      fix: words`Delete them in the same RUN that creates them, and drop the later step: ${quote(`RUN … && ${e.deletions[0]?.command ?? ''}`, 80)}.`,
    }
  },
  'broad-copy': (e) => ({
    title: 'Whole build context copied',
    detail: words`The whole build context is copied in: whatever ${code('.dockerignore')} does not exclude ships (tests, docs, ${code('.git')}, local files). ${layerClauses(
      e.hits,
      (instruction) => words`runs ${quote(instruction)}`,
    )}.`,
    fix: words`List what the image must not get in a ${code('.dockerignore')} (e.g. ${code('.git')}, ${code('node_modules')}, ${code('*.md')}, ${code('.env')}, ${code('__pycache__')}), and copy only what it needs at run time, e.g. ${code('COPY --from=builder /app/dist ./dist')} instead of ${code('COPY . .')}.`,
  }),
  'dev-dependencies': (e) => ({
    title: 'Development dependencies installed',
    detail: words`Development dependencies (test, lint and build tools) are installed into the image. ${layerClauses(
      e.hits,
      (commands) => words`runs ${list(commands.map((c) => [quote(c)]))}`,
    )}.${e.managers.flatMap((m) => {
      const caveat = DEV_INSTALL[m].caveat
      return caveat ? [' ', ...caveat] : []
    })}`,
    fix: words`Install production dependencies only: ${semicolons(e.managers.map((m) => DEV_INSTALL[m].idiom))}.`,
  }),
  // Already worded by the run that wrote the report, the hint sentence included.
  reported: (e) => ({ title: e.title, detail: e.detail, fix: e.fix }),
  'metadata-copy-up': (e) => ({
    title: 'Permissions or owners changed in a later layer',
    detail: words`${layerClauses(e.hits, (command) => words`runs ${quote(command)}`)}. Changing only permissions, owners or times copies every file it touches into a new layer, so those bytes ship twice.`,
    fix: words`Set them as the files arrive: ${code('COPY --chown=app:app --chmod=755 src dest')} (BuildKit), or change them in the same RUN that creates the files.`,
  }),
}

/** A finding's title, detail, fix and labels. */
export function wordFinding(finding: Finding): FindingWords {
  const wording = WORDING[finding.evidence.kind] as Wording<Evidence['kind']>
  const labels = [
    ...(finding.hint ? ['hint'] : []),
    ...(finding.inBase ? ['already in the base image'] : []),
  ]
  const worded = wording(finding.evidence, finding)
  const detail =
    finding.hint && finding.evidence.kind !== 'reported'
      ? [...worded.detail, ' A hint, from the Dockerfile’s steps rather than the image’s files.']
      : worded.detail
  return { ...worded, detail, labels }
}
