/**
 * Apps the ENT exports in a format nobody has documented (Cahier de textes, Carnet de liaison):
 * every file is kept as a raw record, its JSON parsed when it is JSON.
 */
import { EntItem } from '../models'
import { idOf, str } from './common'
import { AppContext, AppReader } from './reader'

async function* readUnknownFormat(context: AppContext): AsyncIterable<EntItem> {
  for (const file of context.folder.files) {
    if (file.rel.startsWith('Documents/')) continue
    const result = await context.readRecord(file, { quiet: true })
    if (!result.ok) {
      yield { ...result.raw, reason: 'unknown-format' }
      continue
    }
    const record = result.value
    const entId = idOf(record._id) ?? idOf(record.id)
    yield {
      type: 'raw',
      app: context.app,
      collection: null,
      entId,
      name: str(record.title) ?? str(record.name) ?? file.rel,
      file: file.file,
      data: record,
      reason: 'unknown-format',
      shares: entId ? context.shares(entId, record.shared) : []
    }
  }
  yield* context.binaries()
}

/** An app whose export format is not documented: its records are kept as they are, under its French name. */
export function unknownFormatReader(app: string, cozyFolder: string, folderNames: string[]): AppReader {
  return { app, labelKey: app, cozyFolder, folderNames, read: readUnknownFormat }
}
