export * from './ent-import'
export * from './share-again'
