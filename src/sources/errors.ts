import { UserError } from '../util/errors.js'

/**
 * The image does not exist where the reference points. For the base image this is not an
 * error: the first PR that adds a Dockerfile has nothing to compare with.
 */
export class ImageNotFoundError extends UserError {
  override name = 'ImageNotFoundError'
}
