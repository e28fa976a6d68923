// pouchdb-adapter-leveldb ships no typings; it is a PouchDB plugin like any other.
declare module 'pouchdb-adapter-leveldb' {
  const plugin: PouchDB.Plugin
  export default plugin
}

// pouchdb-collate ships no typings: CouchDB's collation of JSON values (-1, 0, 1).
declare module 'pouchdb-collate' {
  export function collate(a: unknown, b: unknown): number
}
