export * from './ent-import'
export * from './settings'
export * from './share-again'
