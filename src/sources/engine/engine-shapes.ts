/**
 * The fields read from the engine's image inspect and history answers, checked before use: an
 * engine (or a proxy in front of one) that answers with other types gives a clear error.
 * https://docs.docker.com/reference/api/engine/version/v1.41/#tag/Image/operation/ImageInspect
 */
import {
  count,
  listOf,
  optional,
  shape,
  text,
  validate,
  type Check,
} from '../../util/json-check.js'

export interface InspectInfo {
  Id: string
  RepoDigests?: string[]
  Os?: string
  Architecture?: string
  Variant?: string
  RootFS?: { Layers?: string[] }
  Config?: { Env?: string[] }
}

export interface HistoryItem {
  CreatedBy?: string
  Size?: number
}

const inspectShape: Check<InspectInfo> = shape<InspectInfo>({
  Id: text,
  RepoDigests: optional(listOf(text)),
  Os: optional(text),
  Architecture: optional(text),
  Variant: optional(text),
  RootFS: optional(shape<NonNullable<InspectInfo['RootFS']>>({ Layers: optional(listOf(text)) })),
  Config: optional(shape<NonNullable<InspectInfo['Config']>>({ Env: optional(listOf(text)) })),
})

const historyShape: Check<HistoryItem[]> = listOf(
  shape<HistoryItem>({ CreatedBy: optional(text), Size: optional(count) }),
)

export function checkInspect(value: unknown, reference: string): InspectInfo {
  return validate(inspectShape, value, `The engine's inspect answer for ${reference} is invalid`)
}

export function checkHistory(value: unknown, reference: string): HistoryItem[] {
  return validate(historyShape, value, `The engine's history of ${reference} is invalid`)
}
