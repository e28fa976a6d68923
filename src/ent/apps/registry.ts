/**
 * Every app reader, in sniffing order: apps recognisable by file names first, then apps whose
 * records must be opened to be recognised (most specific first, wiki last).
 */
import { actualitesReader } from './actualites'
import { blogReader } from './blog'
import { calendarReader } from './calendar'
import { collaborativeeditorReader } from './collaborativeeditor'
import { collaborativewallReader } from './collaborativewall'
import { communityReader } from './community'
import { conversationReader } from './conversation'
import { exercizerReader } from './exercizer'
import { formulaireReader } from './formulaire'
import { forumReader } from './forum'
import { magnetoReader } from './magneto'
import { mindmapReader } from './mindmap'
import { pagesReader } from './pages'
import { rackReader } from './rack'
import { AppReader } from './reader'
import { scrapbookReader } from './scrapbook'
import { timelinegeneratorReader } from './timelinegenerator'
import { unknownFormatReader } from './unknown-format'
import { wikiReader } from './wiki'
import { workspaceReader } from './workspace'

export const READERS: AppReader[] = [
  workspaceReader,
  conversationReader,
  actualitesReader,
  exercizerReader,
  formulaireReader,
  blogReader,
  calendarReader,
  forumReader,
  collaborativewallReader,
  timelinegeneratorReader,
  magnetoReader,
  scrapbookReader,
  pagesReader,
  mindmapReader,
  collaborativeeditorReader,
  wikiReader,
  communityReader,
  rackReader,
  unknownFormatReader('homeworks', 'Cahier de textes', ['Cahier de textes', 'Homeworks']),
  unknownFormatReader('schoolbook', 'Carnet de liaison', ['Carnet de liaison', 'Schoolbook'])
]

/** Rank of an app that declares none: after the apps others need, before unknown folders. */
export const DEFAULT_IMPORT_RANK = 50

export function readerFor(app: string): AppReader | undefined {
  return READERS.find(r => r.app === app)
}
