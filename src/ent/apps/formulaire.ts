/** Formulaire (SQL; format notes §7): a full export is empty; any table found is kept as raw rows. */
import { EntItem } from '../models'
import { rawRows } from './common'
import { AppContext, AppReader } from './reader'

async function* readFormulaire(context: AppContext): AsyncIterable<EntItem> {
  for (const file of context.folder.files) {
    if (file.rel.startsWith('Documents/')) continue
    if (file.rel.includes('/') || !file.rel.startsWith('formulaire.')) {
      yield context.rawFile(file, 'unknown-file')
      continue
    }
    yield* rawRows(context, file.rel, context.streamTable(file), file)
  }
  yield* context.binaries()
}

export const formulaireReader: AppReader = {
  app: 'formulaire',
  labelKey: 'formulaire',
  cozyFolder: 'Formulaire',
  folderNames: ['Formulaire', 'Form'],
  sniff: folder => folder.files.some(f => f.rel.startsWith('formulaire.')),
  read: readFormulaire
}
