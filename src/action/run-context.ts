import { readFile } from 'node:fs/promises'

/** What the runner tells about this run, read without loading Octokit (see publish.ts). */
export interface RunContext {
  workspace: string
  baseSha?: string
  runId: string
}

export async function readRunContext(env: NodeJS.ProcessEnv = process.env): Promise<RunContext> {
  let baseSha: string | undefined
  if (env.GITHUB_EVENT_PATH) {
    const event: unknown = JSON.parse(await readFile(env.GITHUB_EVENT_PATH, 'utf8'))
    const sha = (event as { pull_request?: { base?: { sha?: unknown } } }).pull_request?.base?.sha
    baseSha = typeof sha === 'string' ? sha : undefined
  }
  return {
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    baseSha,
    runId: [env.GITHUB_RUN_ID || String(process.pid), env.GITHUB_RUN_ATTEMPT, env.GITHUB_JOB]
      .filter(Boolean)
      .join('-'),
  }
}
