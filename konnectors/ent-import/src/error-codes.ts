/**
 * The konnector error codes Cozy's apps know how to show (Home, Harvest), taken from
 * cozy-konnector-libs rather than retyped. Only its dependency-free errors module is loaded:
 * the library's main entry would pull its whole HTTP and old-client stack into the bundle.
 */
import konnectorErrors from 'cozy-konnector-libs/dist/helpers/errors'

export const DISK_QUOTA_EXCEEDED: string = konnectorErrors.DISK_QUOTA_EXCEEDED
export const UNKNOWN_ERROR: string = konnectorErrors.UNKNOWN_ERROR

/** `UNKNOWN_ERROR.<detail>`: the generic code with the detail the Mes données app translates. */
export function unknownError(detail: string): string {
  return `${UNKNOWN_ERROR}.${detail}`
}
