/**
 * Carte mentale: one file per map, named after `name` (OPEN-ENT-NG/mindmap backend/src/main/
 * java/net/atos/entng/mindmap/service/impl/MindmapRepositoryEvents.java, the generic Mongo
 * export; fields in backend/src/main/resources/jsonschema/mindmap.json and frontend/src/models/
 * mindmap.ts: `name`, `description`, `map`, `thumbnail`…). `map` is Wisemapping's XML, turned
 * into a FreeMind map here (mindmap-freemind.ts); the original travels along so nothing of it
 * (icons, styles, layout) is lost, and the description becomes the note's plain text.
 */
import { roleTable } from '../shares'
import { CollectionSpec, readMongoApp, richText, str, titleOf } from './common'
import { mindmapToFreemind } from './mindmap-freemind'
import { AppReader, ShareRoleTable } from './reader'

const specs: CollectionSpec[] = [
  {
    collection: 'mindmap',
    prefix: null,
    order: 0,
    convert: async (context, record, entId, file) => {
      const title = titleOf(record, null, ['name', 'title'])
      const stored = str(record.map)
      // No map yet: the app opens its default one, a central topic named after the map.
      const conversion = mindmapToFreemind(stored ?? '<map version="tango"></map>', title)
      const mindmapSource = stored !== null && conversion.kind !== 'freemind' ? stored : null
      if (conversion.kind === 'unreadable') {
        context.warn('unreadable-entry', `mindmap: the map of "${title}" is not readable XML (${conversion.reason}); it is kept as stored beside a map holding only its name.`, file.file.path)
      }
      const text = richText(context, record, entId, {
        collection: 'mindmap',
        title,
        html: str(record.description) ?? '',
        mindmapXml: conversion.xml,
        attachments: await context.attachments(record, `mind map ${entId}`)
      })
      return [{ ...text, mindmapSource, plainText: str(record.description) }]
    }
  }
]

/** Share actions of this app's controllers and their roles. */
const SHARE_ROLES: ShareRoleTable = roleTable([
  ['read', 'MindmapController', ['retrieve', 'changeMindmapFolder']],
  ['contrib', 'MindmapController', ['update']],
  ['manager', 'MindmapController', ['delete', 'share', 'shareMindmapSubmit', 'removeShareMindmap', 'shareResource', 'duplicateMindmap']]
])

export const mindmapReader: AppReader = {
  app: 'mindmap',
  labelKey: 'mindmap',
  cozyFolder: 'Carte mentale',
  shareRoles: SHARE_ROLES,
  needs: ['workspace-documents'],
  folderNames: ['Carte mentale', 'Mindmap'],
  sniffRecord: record => typeof record.map === 'string' && record.map.includes('<map'),
  read: context => readMongoApp(context, specs)
}
