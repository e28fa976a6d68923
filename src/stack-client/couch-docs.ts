/**
 * A plain CouchDB document as cozy-client's DocumentCollection gives it (`_id`, `_rev` and the
 * fields), for the app's own doctypes (import records, pending shares) and contacts. They are
 * read by the queries of src/queries and written with `client.save`.
 */
export type CouchDoc = Record<string, unknown> & { _id: string; _rev?: string }
