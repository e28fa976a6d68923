// pouchdb-adapter-leveldb ships no typings; it is a PouchDB plugin like any other.
declare module 'pouchdb-adapter-leveldb' {
  const plugin: PouchDB.Plugin
  export default plugin
}
