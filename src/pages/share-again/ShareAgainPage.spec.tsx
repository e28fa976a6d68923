import React from 'react'
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import { AppLike } from '../../../test/AppLike'
import { mockCozyClient as mockStackClient, jsonApiDoc, type RouteAnswer } from '../../stack-client/testing/mock-stack-client'
import { ShareAgainPage } from './ShareAgainPage'
import frJson from '../../../locales/fr.json'
import { plainSpaces } from '../../stack-client/testing/plain-spaces'

// Testing Library reads the page's narrow no-break spaces as plain ones.
const fr = plainSpaces(frJson)

const N = '\u202f'
const UNNAMED = frJson.shareAgain.unnamedGroup.replace('%{number}', '1')
/** Testing Library compares text with its whitespace collapsed, narrow no-break spaces included. */
const squash = (text: string) => text.replace(/\s+/g, ' ')
const plural = (text: string, form: number) => text.split(' |||| ')[form]

// MUI dialogs in jsdom are slow to render; these flows click through several of them.
jest.setTimeout(30000)

beforeAll(() => Object.assign(window, { WebSocket: undefined }))

const share = (id: string, title: string, recipients: Array<Record<string, unknown>>, extra: Record<string, unknown> = {}) => ({
  _id: id,
  _rev: '1-a',
  state: 'pending',
  importId: 'imp1',
  provenance: { app: 'workspace', entId: id, exportId: 'x', key: `workspace/folder/${id}` },
  resource: { title, collection: 'documents' },
  cozy: { doctype: 'io.cozy.files', id: `file-${id}`, path: `/Mes données ENT/2026-04-01/${title}`, type: 'directory' },
  recipients,
  createdAt: '2026-04-02T08:00:00Z',
  updatedAt: '2026-04-02T08:00:00Z',
  ...extra
})

const PAUL = { kind: 'user', entId: 'a1b2c3d4-0000-4000-8000-000000000001', role: 'read', inherited: false, nameHint: 'Paul Durand' }
const ANON = { kind: 'user', entId: 'f00dcafe-1111-4111-8111-000000000002', role: 'contrib', inherited: false, nameHint: null }
const CLASS = { kind: 'group', entId: '474-1429810567870', role: 'manager', inherited: false, nameHint: null }

/** What POST /sharings/ answers for a contact without an address (web/sharings/sharings.go CreateSharing, web/errors/errors.go). */
const NO_MAIL_ANSWER = { status: 500, detail: 'The contact has no email address' }

function stack(sharingAnswer?: () => RouteAnswer) {
  const docs = new Map<string, Record<string, unknown>>([
    ['s1', share('s1', 'Cours de maths', [PAUL, ANON])],
    ['s2', share('s2', 'Sortie au musée', [PAUL, CLASS])],
    ['s3', share('s3', 'Vieux brouillon', [ANON], { state: 'dismissed' })]
  ])
  const put = (id: string) => (body: unknown) => {
    const doc = { ...(body as Record<string, unknown>), _rev: '2-b' }
    docs.set(id, doc)
    return { body: { id, rev: '2-b', type: 'io.cozy.mesdonnees.pendingshares', data: doc } }
  }
  let sharingCount = 0
  return {
    docs,
    ...mockStackClient({
      'GET /data/io.cozy.mesdonnees.pendingshares/_all_docs?include_docs=true': () => ({ body: { rows: [...docs.values()].map(doc => ({ id: doc._id, doc })) } }),
      'PUT /data/io.cozy.mesdonnees.pendingshares/s1': put('s1'),
      'PUT /data/io.cozy.mesdonnees.pendingshares/s2': put('s2'),
      'GET /data/io.cozy.contacts/_all_docs?include_docs=true': {
        body: { rows: [{ id: 'c1', doc: { _id: 'c1', fullname: 'Paul Durand', email: [{ address: 'paul@example.org', primary: true }] } }, { id: 'c2', doc: { _id: 'c2', fullname: 'Sans Adresse' } }] }
      },
      'GET /data/io.cozy.contacts.groups/_all_docs?include_docs=true': { body: { rows: [{ id: 'g1', doc: { _id: 'g1', name: 'CM2 B' } }] } },
      'POST /data/io.cozy.contacts/': (body: unknown) => ({ body: { id: 'c9', rev: '1-c', data: { ...(body as object), _id: 'c9', _rev: '1-c' } } }),
      'POST /sharings/': () => (sharingAnswer ? sharingAnswer() : jsonApiDoc('io.cozy.sharings', `sh${++sharingCount}`, { description: 'x' }))
    })
  }
}

describe('Share again', () => {
  it('groups pending shares by ENT recipient with names, a generic label for an unnamed group, roles and counts that agree', async () => {
    const { client } = stack()
    render(<AppLike client={client}><ShareAgainPage /></AppLike>)
    expect((await screen.findByTestId('share-counts')).textContent).toBe(`À repartager${N}: 4 pour 3 destinataires · Repartagés${N}: 0 · Ressources ignorées${N}: 1`)
    const headings = screen.getAllByRole('heading', { level: 2 }).map(h => h.textContent)
    expect(headings).toEqual(['Paul Durand', 'Utilisateur ENT f00dcafe', `${UNNAMED} · Groupe`])
    const paul = screen.getByRole('listitem', { name: 'Paul Durand' })
    expect(within(paul).getByText('Cours de maths')).toBeInTheDocument()
    expect(within(paul).getByText('Sortie au musée')).toBeInTheDocument()
    expect(within(paul).getAllByText(/Lecture → lecture seule dans Cozy/)).toHaveLength(2)
    // The dismissed resource is not offered again.
    expect(screen.queryByText('Vieux brouillon')).toBeNull()
    expect(within(paul).getByRole('button', { name: fr.shareAgain.shareAll })).toBeDisabled()
    // The banner counts the lines of the cards.
    const lines = screen.getAllByTestId('recipient-counts').map(el => Number(/repartager\u202f: (\d+)/.exec(el.textContent ?? '')?.[1]))
    expect(lines).toEqual([2, 1, 1])
    expect(within(paul).getByRole('button', { name: /Espace documentaire \(2 ressources, 2 à repartager\)/ })).toHaveAttribute('aria-expanded', 'true')
  })

  it('maps a recipient once and re-creates all their resources as one read-only sharing, then marks them', async () => {
    const { client, calls, docs } = stack()
    render(<AppLike client={client}><ShareAgainPage /></AppLike>)
    const paul = await screen.findByRole('listitem', { name: 'Paul Durand' })
    fireEvent.click(within(paul).getByRole('button', { name: fr.shareAgain.map }))
    fireEvent.click(await within(await screen.findByRole('dialog')).findByLabelText(/Paul Durand/))
    fireEvent.click(screen.getByRole('button', { name: fr.shareAgain.dialog.save }))
    await waitFor(() => expect(calls.map(c => c.route)).toContain('PUT /data/io.cozy.mesdonnees.pendingshares/s2'))
    await waitFor(() => expect(within(paul).getByText(/Associé à : Paul Durand/)).toBeInTheDocument())
    // Contacts with neither an email nor a Cozy address cannot be invited: not offered.
    expect(screen.queryByText('Sans Adresse')).toBeNull()
    expect((docs.get('s1')?.recipients as Array<Record<string, unknown>>)[0]).toMatchObject({ contactId: 'c1', contacts: [{ id: 'c1', doctype: 'io.cozy.contacts', name: 'Paul Durand' }] })

    fireEvent.click(within(paul).getByRole('button', { name: fr.shareAgain.shareAll }))
    // One sharing holds both: one invitation.
    await screen.findByText(`2 partages recréés. Les invitations sont envoyées par e-mail. ${squash(plural(fr.shareAgain.grouped, 0))}`)
    const sharings = calls.filter(c => c.route === 'POST /sharings/').map(c => c.body)
    // One invitation: one sharing, one rule per folder (a files rule holds one id).
    expect(sharings).toHaveLength(1)
    expect(sharings[0]).toEqual({
      data: {
        type: 'io.cozy.sharings',
        attributes: {
          description: `«${N}Cours de maths${N}» et 1 autre ressource de l’ENT`,
          open_sharing: false,
          rules: [
            { title: 'Cours de maths', doctype: 'io.cozy.files', values: ['file-s1'], add: 'sync', update: 'sync', remove: 'sync' },
            { title: 'Sortie au musée', doctype: 'io.cozy.files', values: ['file-s2'], add: 'sync', update: 'sync', remove: 'sync' }
          ]
        },
        relationships: { read_only_recipients: { data: [{ id: 'c1', type: 'io.cozy.contacts' }] } }
      }
    })
    // Still pending for the other ENT recipients of those resources; shared for Paul.
    expect(docs.get('s1')).toMatchObject({ state: 'pending', sharingId: 'sh1' })
    expect(docs.get('s2')).toMatchObject({ state: 'pending', sharingId: 'sh1' })
    expect(within(paul).getAllByText(fr.shareAgain.sharedState)).toHaveLength(2)
  })

  it('creates a contact from an email for a group, read-write for a manager role, and dismisses', async () => {
    const { client, calls, docs } = stack()
    render(<AppLike client={client}><ShareAgainPage /></AppLike>)
    const group = await screen.findByRole('listitem', { name: `${UNNAMED} · Groupe` })
    fireEvent.click(within(group).getByRole('button', { name: fr.shareAgain.map }))
    const dialog = await screen.findByRole('dialog')
    await within(dialog).findByLabelText(/Paul Durand/)
    fireEvent.change(screen.getByLabelText(fr.shareAgain.dialog.email), { target: { value: 'pas-une-adresse' } })
    fireEvent.click(screen.getByRole('button', { name: fr.shareAgain.dialog.add }))
    expect(await screen.findByText(fr.shareAgain.dialog.invalidEmail)).toBeInTheDocument()
    fireEvent.change(screen.getByLabelText(fr.shareAgain.dialog.name), { target: { value: 'Mme Leroy' } })
    fireEvent.change(screen.getByLabelText(fr.shareAgain.dialog.email), { target: { value: 'leroy@example.org' } })
    fireEvent.click(screen.getByRole('button', { name: fr.shareAgain.dialog.add }))
    await waitFor(() => expect(calls.map(c => c.route)).toContain('POST /data/io.cozy.contacts/'))
    // A group may be several contacts: Paul as well.
    fireEvent.click(within(dialog).getByLabelText(/Paul Durand/))
    fireEvent.click(screen.getByRole('button', { name: fr.shareAgain.dialog.save }))
    await waitFor(() => expect(within(group).getByText(/Associé à : Mme Leroy, Paul Durand/)).toBeInTheDocument())
    // Still no name, but now the count of the contacts it stands for.
    expect(within(group).getByRole('heading', { level: 2 }).textContent).toBe('Groupe de l’ENT sans nom n°\u00a01 (2 membres) · Groupe')
    fireEvent.click(within(group).getByRole('button', { name: fr.shareAgain.shareAllGroup }))
    await screen.findByText('1 partage recréé. Les invitations sont envoyées par e-mail.')
    const body = calls.filter(c => c.route === 'POST /sharings/')[0].body as { data: { relationships: unknown } }
    expect(body.data.relationships).toEqual({ recipients: { data: [{ id: 'c9', type: 'io.cozy.contacts' }, { id: 'c1', type: 'io.cozy.contacts' }] } })

    const anon = screen.getByRole('listitem', { name: 'Utilisateur ENT f00dcafe' })
    fireEvent.click(within(anon).getByRole('button', { name: `${fr.shareAgain.dismiss} — Cours de maths` }))
    await waitFor(() => expect(docs.get('s1')?.state).toBe('dismissed'))
    await waitFor(() => expect(screen.getByTestId('share-counts').textContent).toBe(`À repartager${N}: 1 pour 2 destinataires · Repartagés${N}: 1 · Ressources ignorées${N}: 2`))
  })
  it('offers the groups of contacts (manifest permission on io.cozy.contacts.groups) and shares with the group', async () => {
    const { client, calls } = stack()
    render(<AppLike client={client}><ShareAgainPage /></AppLike>)
    const group = await screen.findByRole('listitem', { name: `${UNNAMED} · Groupe` })
    fireEvent.click(within(group).getByRole('button', { name: fr.shareAgain.map }))
    fireEvent.click(await within(await screen.findByRole('dialog')).findByLabelText(/CM2 B/))
    fireEvent.click(screen.getByRole('button', { name: fr.shareAgain.dialog.save }))
    await waitFor(() => expect(within(group).getByText(/Associé à : CM2 B/)).toBeInTheDocument())
    fireEvent.click(within(group).getByRole('button', { name: fr.shareAgain.shareAllGroup }))
    await screen.findByText('1 partage recréé. Les invitations sont envoyées par e-mail.')
    const body = calls.filter(c => c.route === 'POST /sharings/')[0].body as { data: { relationships: unknown } }
    expect(body.data.relationships).toEqual({ recipients: { data: [{ id: 'g1', type: 'io.cozy.contacts.groups' }] } })
  })

  it('says the contact needs an email address when the stack refuses it', async () => {
    const { client } = stack(() => NO_MAIL_ANSWER)
    render(<AppLike client={client}><ShareAgainPage /></AppLike>)
    const paul = await screen.findByRole('listitem', { name: 'Paul Durand' })
    fireEvent.click(within(paul).getByRole('button', { name: fr.shareAgain.map }))
    fireEvent.click(await within(await screen.findByRole('dialog')).findByLabelText(/Paul Durand/))
    fireEvent.click(screen.getByRole('button', { name: fr.shareAgain.dialog.save }))
    await waitFor(() => expect(within(paul).getByText(/Associé à : Paul Durand/)).toBeInTheDocument())
    fireEvent.click(within(paul).getByRole('button', { name: fr.shareAgain.shareAll }))
    // The narrow no-break space is kept: compare the text as it is.
    expect(await within(paul).findAllByText(frJson.shareAgain.errors.noEmail, { normalizer: (text: string) => text })).toHaveLength(2)
  })

  it('finds resources and recipients with the search box, accents folded', async () => {
    const { client } = stack()
    render(<AppLike client={client}><ShareAgainPage /></AppLike>)
    await screen.findByRole('listitem', { name: 'Paul Durand' })
    fireEvent.change(screen.getByLabelText(fr.shareAgain.search), { target: { value: 'musee' } })
    // Only the cards holding "Sortie au musée", with only that resource.
    await waitFor(() => expect(screen.getAllByRole('heading', { level: 2 }).map(h => h.textContent)).toEqual(['Paul Durand', `${UNNAMED} · Groupe`]))
    expect(screen.queryByText('Cours de maths')).toBeNull()
    expect(screen.getByTestId('search-status')).toHaveTextContent('2 destinataires correspondent')
    fireEvent.change(screen.getByLabelText(fr.shareAgain.search), { target: { value: 'durand' } })
    await waitFor(() => expect(screen.getAllByRole('heading', { level: 2 }).map(h => h.textContent)).toEqual(['Paul Durand']))
    expect(screen.getByText('Cours de maths')).toBeInTheDocument()
    fireEvent.change(screen.getByLabelText(fr.shareAgain.search), { target: { value: 'zzz' } })
    await waitFor(() => expect(screen.getByTestId('search-status').textContent).toBe(`Aucun destinataire ni aucune ressource ne correspond à «${N}zzz${N}».`))
    // The banner still counts everything.
    expect(screen.getByTestId('share-counts').textContent).toContain(`À repartager${N}: 4 pour 3 destinataires`)
  })

  it('folds a long card, shows the first resources of an application, then all of them, and folds it again', async () => {
    const many = Array.from({ length: 12 }, (_, i) => share(`m${i}`, `Document ${String(i).padStart(2, '0')}`, [PAUL]))
    const { client } = mockStackClient({
      'GET /data/io.cozy.mesdonnees.pendingshares/_all_docs?include_docs=true': { body: { rows: many.map(doc => ({ id: doc._id, doc })) } }
    })
    render(<AppLike client={client}><ShareAgainPage /></AppLike>)
    const paul = await screen.findByRole('listitem', { name: 'Paul Durand' })
    // A long card shows its applications folded.
    expect(within(paul).queryAllByText(/^Document \d\d$/)).toHaveLength(0)
    fireEvent.click(within(paul).getByRole('button', { name: /Espace documentaire \(12 ressources, 12 à repartager\)/ }))
    expect(within(paul).getAllByText(/^Document \d\d$/)).toHaveLength(5)
    fireEvent.click(within(paul).getByRole('button', { name: 'Afficher les 7 autres ressources' }))
    expect(within(paul).getAllByText(/^Document \d\d$/)).toHaveLength(12)
    fireEvent.click(within(paul).getByRole('button', { name: /Espace documentaire/ }))
    expect(within(paul).queryAllByText(/^Document \d\d$/)).toHaveLength(0)
    expect(within(paul).getByRole('button', { name: /Espace documentaire/ })).toHaveAttribute('aria-expanded', 'false')
  })

  it('makes one sharing per access mode: read-only members and read-write members cannot share one', async () => {
    const reader = { ...PAUL, role: 'read' }
    const writer = { ...PAUL, role: 'contrib' }
    const docs = [share('r1', 'Lu 1', [reader]), share('r2', 'Lu 2', [reader]), share('w1', 'Écrit', [writer])]
    const { client, calls } = mockStackClient({
      'GET /data/io.cozy.mesdonnees.pendingshares/_all_docs?include_docs=true': { body: { rows: docs.map(doc => ({ id: doc._id, doc: { ...doc, recipients: doc.recipients.map(r => ({ ...r, contacts: [{ id: 'c1', doctype: 'io.cozy.contacts', name: 'Paul Durand' }] })) } })) } },
      'PUT /data/io.cozy.mesdonnees.pendingshares/r1': (body: unknown) => ({ body: { id: 'r1', rev: '2-b', data: body } }),
      'PUT /data/io.cozy.mesdonnees.pendingshares/r2': (body: unknown) => ({ body: { id: 'r2', rev: '2-b', data: body } }),
      'PUT /data/io.cozy.mesdonnees.pendingshares/w1': (body: unknown) => ({ body: { id: 'w1', rev: '2-b', data: body } }),
      'POST /sharings/': (body: unknown) => jsonApiDoc('io.cozy.sharings', `sh-${(body as { data: { attributes: { rules: unknown[] } } }).data.attributes.rules.length}`, {})
    })
    render(<AppLike client={client}><ShareAgainPage /></AppLike>)
    const paul = await screen.findByRole('listitem', { name: 'Paul Durand' })
    fireEvent.click(within(paul).getByRole('button', { name: fr.shareAgain.shareAll }))
    await screen.findByText(`3 partages recréés. Les invitations sont envoyées par e-mail. ${squash(plural(fr.shareAgain.grouped, 1).replace('%{smart_count}', '2'))}`)
    const bodies = calls.filter(c => c.route === 'POST /sharings/').map(c => (c.body as { data: { attributes: { rules: Array<{ values: string[] }> }; relationships: Record<string, unknown> } }).data)
    expect(bodies.map(b => [b.attributes.rules.map(r => r.values[0]), Object.keys(b.relationships)])).toEqual([
      [['file-r1', 'file-r2'], ['read_only_recipients']],
      [['file-w1'], ['recipients']]
    ])
  })
})
