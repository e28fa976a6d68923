/** Casier / Spontanés (rack; format notes §7): received files only, raw, no JSON. */
import { DocumentNode, EntItem } from '../models'
import { AppContext, AppReader } from './reader'

async function* readRack(context: AppContext): AsyncIterable<EntItem> {
  for (const file of context.folder.files) {
    const node: DocumentNode = {
      type: 'file',
      app: context.app,
      entId: `rack:${file.rel}`,
      name: file.rel.replace(/\//g, '_'),
      parentId: null,
      category: 'rack',
      owner: null,
      mine: true,
      created: null,
      modified: file.file.modified,
      file: file.file,
      size: file.file.size,
      contentType: null,
      shares: [],
      raw: null
    }
    yield node
  }
}

export const rackReader: AppReader = {
  app: 'rack',
  labelKey: 'rack',
  cozyFolder: 'Casier',
  importRank: 10,
  folderNames: ['Casier', 'Spontanés', 'Rack'],
  isBinary: () => true,
  read: readRack
}
