/**
 * Counts a build's steps, and those taken from the cache, from the builder's output as it
 * streams (the only place either builder says it). Classic builder: `Step 2/5 : RUN …` then
 * ` ---> Using cache`. BuildKit with `--progress plain`: `#7 [stage-1 2/5] RUN …` then
 * `#7 CACHED` (vertex numbers tie the two; a vertex's header may repeat).
 */
export class StepCounter {
  private classicSteps = 0
  private classicCached = 0
  private readonly vertices = new Set<string>()
  private readonly cachedVertices = new Set<string>()

  add(line: string): void {
    if (/^Step \d+\/\d+ : /.test(line)) this.classicSteps++
    else if (/^ ---> Using cache$/.test(line.trimEnd())) this.classicCached++
    const vertex = /^#(\d+) \[(?:[^\]]*\s)?\d+\/\d+\] /.exec(line)
    if (vertex?.[1]) this.vertices.add(vertex[1])
    const cached = /^#(\d+) CACHED\s*$/.exec(line)
    if (cached?.[1]) this.cachedVertices.add(cached[1])
  }

  /** The counts, or nothing when the output had no steps this knows how to read. */
  counts(): { steps: number; cachedSteps: number } | undefined {
    if (this.classicSteps > 0) return { steps: this.classicSteps, cachedSteps: this.classicCached }
    if (this.vertices.size === 0) return undefined
    const cached = [...this.cachedVertices].filter((id) => this.vertices.has(id)).length
    return { steps: this.vertices.size, cachedSteps: cached }
  }
}
