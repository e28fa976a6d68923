/**
 * io.cozy.contacts and io.cozy.contacts.groups as the mapping dialog offers them, named the
 * way the Contacts app names them (cozy-client's contact model).
 */
import type CozyClient from 'cozy-client'
import { models } from 'cozy-client'
import { CONTACTS_DOCTYPE } from '../../queries'

export interface Contact {
  id: string
  doctype: 'io.cozy.contacts' | 'io.cozy.contacts.groups'
  name: string
  email: string | null
  cozyUrl: string | null
}

type Doc = Record<string, unknown> & { _id: string }
const { getDisplayName, getPrimaryCozy, getPrimaryEmail } = models.contact
type ContactDoc = Parameters<typeof getDisplayName>[0]

const orNull = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null)

export function toContact(doc: Doc): Contact {
  const contact = doc as unknown as ContactDoc
  const email = orNull(getPrimaryEmail(contact))
  const name = orNull(doc.displayName) ?? orNull(doc.fullname) ?? orNull(getDisplayName(contact)) ?? email ?? ''
  return { id: doc._id, doctype: 'io.cozy.contacts', name, email, cozyUrl: orNull(getPrimaryCozy(contact)) }
}

/** Every contact that can receive a sharing (it has an email or a Cozy address), then the groups, by name. */
export function contactChoices(people: Doc[], groups: Doc[]): Contact[] {
  const found = people.filter(d => d.trashed !== true).map(toContact).filter(c => c.email || c.cozyUrl)
  const groupList: Contact[] = groups
    .filter(d => d.trashed !== true && typeof d.name === 'string')
    .map(d => ({ id: d._id, doctype: 'io.cozy.contacts.groups', name: String(d.name), email: null, cozyUrl: null }))
  return [...found, ...groupList].sort((a, b) => a.name.localeCompare(b.name))
}

/** Accents and case folded, so "ines" finds "Inès". */
export function foldForSearch(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
}

export function matchesContact(contact: Contact, query: string): boolean {
  const q = foldForSearch(query.trim())
  if (q === '') return true
  return foldForSearch(`${contact.name} ${contact.email ?? ''}`).includes(q)
}

export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/** A contact from a name and an email (the stack needs an email or a Cozy URL to invite). */
export async function createContact(client: CozyClient, name: string, email: string): Promise<Contact> {
  const trimmed = name.trim() || email.trim()
  const fields = { fullname: trimmed, displayName: trimmed, email: [{ address: email.trim(), primary: true }] }
  const { data } = (await client.save({ _type: CONTACTS_DOCTYPE, ...fields })) as { data: Doc }
  return toContact({ ...fields, ...data })
}
