import type Docker from 'dockerode'
import type { ImageOrigin } from '../../model/image.js'
import { addressOf } from './docker-client.js'

export type EngineOrigin = Extract<ImageOrigin, { kind: 'engine' }>

/**
 * Which image store the engine uses. `/info` reports the containerd snapshotter as
 * `DriverStatus: [["driver-type", "io.containerd.snapshotter.v1"]]` (Driver `overlayfs`);
 * the classic graph driver as Driver `overlay2`.
 */
const origins = new WeakMap<Docker, Promise<EngineOrigin>>()

/** The engine's origin, asked once per client (both images of a run share it). */
export function readEngineOrigin(docker: Docker): Promise<EngineOrigin> {
  let origin = origins.get(docker)
  if (!origin) {
    origin = askEngineOrigin(docker)
    origins.set(docker, origin)
    origin.catch(() => origins.delete(docker))
  }
  return origin
}

async function askEngineOrigin(docker: Docker): Promise<EngineOrigin> {
  const [info, version] = await Promise.all([docker.info(), docker.version()])
  const status = (info as { DriverStatus?: unknown }).DriverStatus
  const driverType = Array.isArray(status)
    ? status.find(
        (row): row is [string, string] => Array.isArray(row) && row[0] === 'driver-type',
      )?.[1]
    : undefined
  const driver = String((info as { Driver?: unknown }).Driver ?? 'unknown')
  const store = driverType?.startsWith('io.containerd.snapshotter')
    ? 'containerd'
    : driver === 'overlay2'
      ? 'overlay2'
      : 'other'
  return {
    kind: 'engine',
    store,
    driver,
    engineVersion: version.Version,
    apiVersion: version.ApiVersion,
    endpoint: addressOf(docker),
  }
}
