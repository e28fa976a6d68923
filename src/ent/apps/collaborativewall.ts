/**
 * Mur collaboratif (format notes §7): `wall_<name>` walls and `note_<_id>` notes (with `idwall`),
 * as OPEN-ENT-NG/collaborative-wall writes them
 * (backend/src/main/java/net/atos/entng/collaborativewall/service/CollaborativeWallRepositoryEvents.java).
 * A note's fields are those of backend/.../events/CollaborativeWallNote.java: `content` (HTML),
 * `x`/`y`, `media` either an object (CollaborativeWallNoteMedia.java: `id`, `name`,
 * `application`, `type`, `url`, `targetUrl`) or, in walls imported from older platforms, a bare
 * URL string. Media types are those frontend/src/features/Note/components/NoteMedia.tsx shows:
 * `image`, `audio`, `video`, `attachment`, `hyperlink`. The wall's `description` is plain text
 * (frontend/src/features/Description/DescriptionModal.tsx renders it escaped).
 */
import { EntItem } from '../models'
import { CollectionSpec, group, hasPrefixedFiles, idOf, Json, num, readMongoApp, richText, str, titleOf } from './common'
import { imageHtml, linkHtml, plainTextHtml } from './note-media'
import { AppReader } from './reader'

/** A note has no title: its first words stand in, else the name of what it shows. */
function noteTitle(html: string | null, media: Json | null): string {
  const text = (html ?? '').replace(/<[^>]*>/g, ' ').replace(/&nbsp;/g, ' ').replace(/\s+/g, ' ').trim()
  if (!text) return str(media?.name) ?? ''
  return text.length > 60 ? `${text.slice(0, 59)}…` : text
}

/** The media as an object, whatever form it was stored in. */
function mediaOf(value: unknown): Json | null {
  if (typeof value === 'string') return value.trim() ? { type: 'hyperlink', url: value.trim() } : null
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : null
}

/** The media below the text: pictures shown, anything else a link to the file or the page. */
export function wallMediaHtml(media: Json | null): string {
  const url = str(media?.url)
  if (!media || !url) return ''
  if (media.type === 'image') return imageHtml(url, str(media.name) ?? '')
  return linkHtml(url, str(media.name))
}

const specs: CollectionSpec[] = [
  {
    collection: 'collaborativewall',
    prefix: 'wall_',
    order: 0,
    async convert(context, record, entId) {
      const title = titleOf(record, 'wall_', ['name', 'title'])
      const items: EntItem[] = [group(context, record, entId, { collection: 'collaborativewall', title, attachments: await context.attachments(record, `wall ${entId}`) })]
      const description = str(record.description)
      const html = description ? plainTextHtml(description) : ''
      // The description shows on top of the wall in the ENT; a folder cannot show it, a note can.
      if (html) items.push(richText(context, record, entId, { collection: 'collaborativewall', title, html, groupId: entId, position: -1, shareable: {}, attachments: [] }))
      return items
    }
  },
  {
    collection: 'collaborativewall.notes',
    prefix: 'note_',
    order: 1,
    convert: async (context, record, entId) => {
      const media = mediaOf(record.media)
      const content = str(record.content)
      return [
        richText(context, record, entId, {
          collection: 'collaborativewall.notes',
          title: noteTitle(content, media),
          html: [content ?? '', wallMediaHtml(media)].filter(part => part.length > 0).join('\n'),
          groupId: idOf(record.idwall),
          position: num(record.y),
          shareable: {},
          attachments: await context.attachments(record, `note ${entId}`)
        })
      ]
    }
  }
]

export const collaborativewallReader: AppReader = {
  app: 'collaborativewall',
  folderNames: ['Mur Collaboratif', 'Collaborative wall'],
  sniff: folder => hasPrefixedFiles(folder.files, ['wall_', 'note_']),
  read: context => readMongoApp(context, specs)
}
