import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

/** A throwaway repository whose history walks a Dockerfile through the cases under test. */
export interface GitFixture {
  dir: string
  commits: { noDockerfile: string; broken: string; base: string; head: string }
  cleanup(): void
}

const IDENTITY = {
  GIT_AUTHOR_NAME: 'isg',
  GIT_AUTHOR_EMAIL: 'isg@example.invalid',
  GIT_COMMITTER_NAME: 'isg',
  GIT_COMMITTER_EMAIL: 'isg@example.invalid',
}

export function git(cwd: string, args: string[]): string {
  return execFileSync('git', ['-c', 'commit.gpgsign=false', ...args], {
    cwd,
    env: { ...process.env, ...IDENTITY },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim()
}

const BASE_DOCKERFILE = [
  'FROM isg-fixture/busybox:1',
  'ARG GREETING',
  'RUN echo "$GREETING" > /greeting.txt',
]
/** The failing command prints isg-boom-42, which the RUN line itself does not contain. */
const BROKEN_DOCKERFILE = ['FROM isg-fixture/busybox:1', 'RUN echo isg-boom-$((6*7)) && exit 1']

export function makeGitFixture(): GitFixture {
  const root = mkdtempSync(join(tmpdir(), 'isg-build-repo-'))
  const dir = join(root, 'repo')
  mkdirSync(dir)
  git(dir, ['init', '--quiet', '--initial-branch=main'])
  const commit = (message: string, files: Record<string, string[] | null>): string => {
    for (const [name, lines] of Object.entries(files)) {
      if (lines) writeFileSync(join(dir, name), `${lines.join('\n')}\n`)
      else rmSync(join(dir, name))
    }
    git(dir, ['add', '--all'])
    git(dir, ['commit', '--quiet', '-m', message])
    return git(dir, ['rev-parse', 'HEAD'])
  }
  const noDockerfile = commit('readme only', { 'README.md': ['# app'] })
  const broken = commit('a Dockerfile that does not build', { Dockerfile: BROKEN_DOCKERFILE })
  const base = commit('a Dockerfile that builds', { Dockerfile: BASE_DOCKERFILE })
  const head = commit('add 2 MB', {
    Dockerfile: [...BASE_DOCKERFILE, 'RUN head -c 2000000 /dev/urandom > /big.bin'],
    'broken.Dockerfile': BROKEN_DOCKERFILE,
  })
  return {
    dir,
    commits: { noDockerfile, broken, base, head },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  }
}

/** A `--depth=1` clone over file://, like actions/checkout's default fetch. */
export function shallowClone(fixture: GitFixture, name: string): string {
  const parent = dirname(fixture.dir)
  git(parent, ['clone', '--quiet', '--depth=1', `file://${fixture.dir}`, name])
  return join(parent, name)
}

export function worktreeCount(dir: string): number {
  return git(dir, ['worktree', 'list', '--porcelain'])
    .split('\n')
    .filter((line) => line.startsWith('worktree ')).length
}

/** A repository in `parent/name` with two commits (a Dockerfile each); checked out at the second. */
export function makeDockerfileRepo(
  parent: string,
  name: string,
  base: string[],
  head: string[],
): { dir: string; baseSha: string } {
  const dir = join(parent, name)
  mkdirSync(dir)
  git(dir, ['init', '--quiet', '--initial-branch=main'])
  const commit = (lines: string[], message: string) => {
    writeFileSync(join(dir, 'Dockerfile'), `${lines.join('\n')}\n`)
    git(dir, ['add', '--all'])
    git(dir, ['commit', '--quiet', '-m', message])
    return git(dir, ['rev-parse', 'HEAD'])
  }
  const baseSha = commit(base, 'base')
  commit(head, 'pull request')
  return { dir, baseSha }
}
