import * as core from '@actions/core'
import { readFile } from 'node:fs/promises'
import { isAbsolute, relative, resolve, sep } from 'node:path'
import { chooseAnnotations } from '../dockerfile/annotations.js'
import { expectedSteps } from '../dockerfile/final-stage.js'
import { mapLayersToDockerfile } from '../dockerfile/map-layers.js'
import { parseDockerfile } from '../dockerfile/parse-dockerfile.js'
import type { Report } from '../report/report.js'
import { errorMessage } from '../util/errors.js'
import type { Inputs } from './inputs.js'

/** A Dockerfile larger than this is not read for annotations (bytes) */
const MAX_DOCKERFILE_BYTES = 1024 * 1024

/**
 * Warnings on the Dockerfile's lines where the PR image's bytes came from (workflow commands
 * `::warning file=…,line=…`), so the PR's diff view shows them. Only layers mapped to a step for
 * certain are annotated. The first compared pair is used: every platform is built from the same
 * lines. Never throws: annotations are an extra, and a Dockerfile that cannot be read is a note.
 */
export async function annotateDockerfile(
  report: Report,
  inputs: Pick<Inputs, 'annotations'>,
  workspace: string,
): Promise<void> {
  const spec = inputs.annotations
  const entry = report.entries[0]
  if (!spec || !entry) return
  try {
    const path = resolve(workspace, spec.dockerfile)
    const text = await readFile(path, 'utf8')
    if (text.length > MAX_DOCKERFILE_BYTES) {
      core.info(`${spec.dockerfile} is larger than 1 MiB: no annotations`)
      return
    }
    const steps = expectedSteps(parseDockerfile(text), spec)
    if (!steps) {
      core.warning(`No annotations: ${spec.dockerfile} has no stage named ${spec.target ?? ''}`)
      return
    }
    const layers = entry.comparison.head.layers
    const sources = mapLayersToDockerfile(
      layers.map((l) => l.instruction),
      steps,
    )
    const file = relative(workspace, path).split(sep).join('/')
    const notes = chooseAnnotations(entry, sources)
    for (const note of notes) {
      core.warning(note.message, {
        title: note.title,
        file: isAbsolute(file) ? path : file,
        startLine: note.startLine,
        endLine: note.endLine,
      })
    }
    core.info(
      `${notes.length} annotation(s) on ${file}: ${sources.length} of ${layers.length} layers matched a step`,
    )
  } catch (error) {
    core.warning(`No annotations on ${spec.dockerfile}: ${errorMessage(error)}`)
  }
}
