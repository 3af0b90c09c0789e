/**
 * When a run records its sizes, and which branch names the history inputs take. Pure: the
 * action hands in the event's name, ref and payload.
 */

/** Events that may record: they run the repository's own code on one of its branches. */
export const RECORDING_EVENTS = ['push', 'workflow_dispatch', 'schedule'] as const

export interface RecordSettings {
  /** The store's branch (history-branch) */
  storeBranch: string
  /** Branches recorded (history-record-on); empty: the repository's default branch */
  recordOn: string[]
}

export interface RunEvent {
  name: string
  /** GITHUB_REF, e.g. refs/heads/main */
  ref: string
  /** The repository's default branch from the event's payload, when it says */
  defaultBranch?: string
}

export type RecordDecision = { record: true; branch: string } | { record: false; reason: string }

export function decideRecording(event: RunEvent, settings: RecordSettings): RecordDecision {
  if (!(RECORDING_EVENTS as readonly string[]).includes(event.name))
    return {
      record: false,
      reason: `a ${event.name || 'unknown'} event never records it (only ${RECORDING_EVENTS.join(', ')} do)`,
    }
  if (!event.ref.startsWith('refs/heads/'))
    return { record: false, reason: `${event.ref || 'the ref'} is not a branch` }
  const branch = event.ref.slice('refs/heads/'.length)
  if (branch === settings.storeBranch)
    return { record: false, reason: `${branch} is the history branch itself` }
  if (settings.recordOn.length > 0)
    return settings.recordOn.includes(branch)
      ? { record: true, branch }
      : {
          record: false,
          reason: `${branch} is not in history-record-on (${settings.recordOn.join(', ')})`,
        }
  if (!event.defaultBranch)
    return {
      record: false,
      reason:
        'the event does not say which branch is the default; name the branches in history-record-on',
    }
  return branch === event.defaultBranch
    ? { record: true, branch }
    : {
        record: false,
        reason: `${branch} is not the default branch (${event.defaultBranch}); history-record-on names others`,
      }
}

/**
 * A branch name the history inputs accept: what git allows, narrowed to characters that need no
 * escaping in an API path or a log line (letters, digits, `._/-`), 1 to 200 of them.
 */
export function isPlainBranchName(name: string): boolean {
  return (
    /^[A-Za-z0-9_][A-Za-z0-9._/-]{0,199}$/.test(name) &&
    !/\.\.|\/\/|\/\.|\/$|\.$|\.lock$|\.lock\//.test(name)
  )
}
