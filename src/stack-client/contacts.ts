/** io.cozy.contacts and io.cozy.contacts.groups, as the Share again page needs them. */
import type { StackFetcher } from './fetcher'
import { couchDocsApi, type CouchDoc } from './couch-docs'
import { asRecord } from './jsonapi'

export interface Contact {
  id: string
  doctype: 'io.cozy.contacts' | 'io.cozy.contacts.groups'
  name: string
  email: string | null
  cozyUrl: string | null
}

function firstOf(list: unknown, field: string): string | null {
  if (!Array.isArray(list)) return null
  const entries = list.map(asRecord)
  const primary = entries.find(e => e.primary === true) ?? entries[0]
  const value = primary ? primary[field] : undefined
  return typeof value === 'string' && value !== '' ? value : null
}

export function toContact(doc: CouchDoc): Contact {
  const name = asRecord(doc.name)
  const joined = [name.givenName, name.familyName].filter(v => typeof v === 'string' && v !== '').join(' ')
  const email = firstOf(doc.email, 'address')
  const display = [doc.displayName, doc.fullname, joined, email].find(v => typeof v === 'string' && v.trim() !== '') as string | undefined
  return { id: doc._id, doctype: 'io.cozy.contacts', name: display ?? '', email, cozyUrl: firstOf(doc.cozy, 'url') }
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

export function contactsApi(stack: StackFetcher) {
  const contacts = couchDocsApi(stack, 'io.cozy.contacts')
  const groups = couchDocsApi(stack, 'io.cozy.contacts.groups')
  return {
    /** Every contact that can receive a sharing (it has an email or a Cozy address), then the groups. */
    async list(): Promise<Contact[]> {
      const [people, teams] = await Promise.all([contacts.all(), groups.all()])
      const found = people.filter(d => d.trashed !== true).map(toContact).filter(c => c.email || c.cozyUrl)
      const groupList: Contact[] = teams
        .filter(d => d.trashed !== true && typeof d.name === 'string')
        .map(d => ({ id: d._id, doctype: 'io.cozy.contacts.groups', name: String(d.name), email: null, cozyUrl: null }))
      return [...found, ...groupList].sort((a, b) => a.name.localeCompare(b.name))
    },

    /** A contact from a name and an email (the stack needs an email or a Cozy URL to invite). */
    async create(name: string, email: string): Promise<Contact> {
      const trimmed = name.trim() || email.trim()
      const doc = await contacts.create({
        fullname: trimmed,
        displayName: trimmed,
        email: [{ address: email.trim(), primary: true }]
      })
      return toContact({ ...doc, fullname: trimmed, email: [{ address: email.trim(), primary: true }] })
    }
  }
}

export type ContactsApi = ReturnType<typeof contactsApi>
