import { importNotificationFor } from './run-import-notification'
import { toImportRecord } from '../../stack-client/ent-imports'
import fr from '../../../locales/fr.json'

const record = (fields: Record<string, unknown>) =>
  toImportRecord({
    _id: 'imp1',
    state: 'done',
    archive: { fileId: 'f', name: 'mes-donnees.zip' },
    apps: [
      { app: 'workspace', imported: 7, skipped: 1, failed: 1 },
      { app: 'blog', imported: 3, skipped: 0, failed: 0 }
    ],
    ...fields
  })

describe('importNotificationFor', () => {
  it('says what an ended import did, in the user language, with a link to its report', () => {
    const link = 'https://alice-mesdonnees.cozy.example/#/ent-import/history/imp1'
    expect(importNotificationFor(record({}), 'fr', 'https://alice-mesdonnees.cozy.example/')).toEqual({
      category: 'import-finished',
      title: fr.importNotification.doneTitle,
      message: 'mes-donnees.zip\u202f: 10 éléments importés, 1 déjà présents, 0 non sélectionnés, 1 en échec.',
      content: `mes-donnees.zip\u202f: 10 éléments importés, 1 déjà présents, 0 non sélectionnés, 1 en échec.\n\nVoir le rapport\u202f: ${link}`,
      // The stack mails an app's notification only with content_html (buildMailMessage).
      contentHtml: `<p>mes-donnees.zip\u202f: 10 éléments importés, 1 déjà présents, 0 non sélectionnés, 1 en échec.</p><p><a href="${link}">Voir le rapport</a></p>`,
      preferredChannels: ['mobile', 'mail'],
      data: { redirectLink: 'mes-donnees/#/ent-import/history/imp1' }
    })
    expect(importNotificationFor(record({ state: 'failed' }), 'en', 'https://a.example')?.title).toBe('Your ENT import did not succeed')
  })

  it('escapes the archive name in the HTML part', () => {
    const notification = importNotificationFor(record({ archive: { fileId: 'f', name: '<b>&.zip' } }), 'en', 'https://a.example')
    expect(notification?.contentHtml).toContain('<p>&lt;b&gt;&amp;.zip: 10 items imported')
  })

  it('stays silent while the import runs and once it was notified', () => {
    expect(importNotificationFor(record({ state: 'running' }), 'fr', 'https://a.example')).toBeNull()
    expect(importNotificationFor({ ...record({}), notifiedAt: '2026-04-02T08:00:00Z' }, 'fr', 'https://a.example')).toBeNull()
  })
})
