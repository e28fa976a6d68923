import { couchError, jsonApiError } from '../http/errors'

/** The CouchDB error for a doctype whose database was never created (couchdb.IsNoDatabaseError). */
export function noDatabase(reason = 'Database does not exist.'): Error {
  return couchError(404, 'not_found', reason)
}

/** json.Decoder errors on /data are jsonapi.Errorf(400, err) rendered couchdb-style. */
export const decodeError = (message: string) => jsonApiError(400, message)

export function withType(doctype: string, doc: Record<string, unknown>): Record<string, unknown> {
  return { ...doc, _type: doctype }
}

/** consts.MaxItemsPerPageForMango. */
export const MAX_MANGO_LIMIT = 1000
