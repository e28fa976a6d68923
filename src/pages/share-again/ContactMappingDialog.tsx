import React, { useCallback, useMemo, useState } from 'react'
import Button from 'cozy-ui/transpiled/react/Buttons'
import { Dialog } from 'cozy-ui/transpiled/react/CozyDialogs'
import TextField from 'cozy-ui/transpiled/react/TextField'
import Typography from 'cozy-ui/transpiled/react/Typography'
import Checkbox from 'cozy-ui/transpiled/react/Checkbox'
import { useTranslation } from '../../stack-client/react/useTranslation'
import { LoadingState, StackErrorAlert } from '../../components/QueryStates'
import { buildContactGroupsQuery, buildContactsQuery } from '../../queries'
import { useDocQuery, type DocQuery } from '../../queries/state'
import { contactChoices, matchesContact, type Contact } from './contacts'
import type { MappedContact } from './recipients'
import { NewContactForm } from './NewContactForm'

interface Props {
  title: string
  isGroup: boolean
  initial: MappedContact[]
  onSave(contacts: MappedContact[]): void
  onCancel(): void
  saving?: boolean
}

type Doc = Record<string, unknown> & { _id: string }
const asDocs = (docs: Doc[]): Doc[] => docs

/** The contacts and the groups, as one list to choose from. */
function useContactChoices(): DocQuery<Contact[]> {
  const people = useDocQuery(buildContactsQuery(), asDocs)
  const groups = useDocQuery(buildContactGroupsQuery(), asDocs)
  const peopleDocs = people.status === 'ready' ? people.data : null
  const groupDocs = groups.status === 'ready' ? groups.data : null
  const choices = useMemo(() => (peopleDocs && groupDocs ? contactChoices(peopleDocs, groupDocs) : null), [peopleDocs, groupDocs])
  const retry = () => {
    people.retry()
    groups.retry()
  }
  if (people.status === 'error') return { ...people, retry }
  if (groups.status === 'error') return { ...groups, retry }
  return choices ? { status: 'ready', data: choices, retry } : { status: 'loading', retry }
}

/** The contacts to tick, each with its email. */
function ContactList({ contacts, isChosen, onToggle }: { contacts: Contact[]; isChosen(contact: Contact): boolean; onToggle(contact: Contact): void }): JSX.Element {
  return (
    <ul className="u-m-0 u-p-0" style={{ listStyle: 'none', maxHeight: 260, overflowY: 'auto' }}>
      {contacts.map(contact => {
        const id = `contact-${contact.id}`
        return (
          <li key={contact.id} className="u-flex u-flex-items-center">
            <Checkbox id={id} checked={isChosen(contact)} onChange={() => onToggle(contact)} />
            <label htmlFor={id} className="u-ml-half" style={{ cursor: 'pointer', minWidth: 0 }}>
              <Typography variant="body1" component="span" className="u-db">{contact.name}</Typography>
              {contact.email && (
                <Typography variant="caption" color="textSecondary" component="span" className="u-db" style={{ overflowWrap: 'anywhere' }}>
                  {contact.email}
                </Typography>
              )}
            </label>
          </li>
        )
      })}
    </ul>
  )
}

/** Chooses the Cozy contacts an ENT recipient is (search, or create one from an email). */
export function ContactMappingDialog({ title, isGroup, initial, onSave, onCancel, saving }: Props): JSX.Element {
  const { t } = useTranslation()
  const contacts = useContactChoices()
  const [query, setQuery] = useState('')
  const [chosen, setChosen] = useState<MappedContact[]>(initial)
  const [created, setCreated] = useState<Contact[]>([])

  // A contact made here reaches the contacts query too (client.save updates the store): listed once.
  const all = useMemo(() => {
    const listed = contacts.status === 'ready' ? contacts.data : []
    return [...created.filter(c => !listed.some(l => l.id === c.id)), ...listed]
  }, [created, contacts])
  const shown = all.filter(c => matchesContact(c, query)).slice(0, 30)
  const isChosen = (c: Contact) => chosen.some(m => m.id === c.id)
  const toggle = (c: Contact) =>
    setChosen(current => (current.some(m => m.id === c.id) ? current.filter(m => m.id !== c.id) : isGroup ? [...current, { id: c.id, doctype: c.doctype, name: c.name }] : [{ id: c.id, doctype: c.doctype, name: c.name }]))
  const onCreated = useCallback(
    (contact: Contact) => {
      setCreated(current => [contact, ...current])
      setChosen(current => (isGroup ? [...current, { id: contact.id, doctype: contact.doctype, name: contact.name }] : [{ id: contact.id, doctype: contact.doctype, name: contact.name }]))
    },
    [isGroup]
  )

  return (
    <Dialog
      open
      onClose={onCancel}
      title={title}
      // A person's name makes a long title: it wraps instead of being cut (cozy-ui ellipsizes by default).
      isFluidTitle
      content={
        <div>
          {isGroup && (
            <Typography variant="body2" className="u-mb-1">
              {t('shareAgain.dialog.groupHint')}
            </Typography>
          )}
          <TextField id="share-contact-search" fullWidth variant="outlined" label={t('shareAgain.dialog.search')} value={query} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setQuery(e.target.value)} className="u-mb-1" />
          {contacts.status === 'loading' && <LoadingState label={t('shareAgain.dialog.loading')} />}
          {contacts.status === 'error' && <StackErrorAlert error={contacts.error} onRetry={contacts.retry} />}
          {contacts.status === 'ready' && shown.length === 0 && <Typography variant="body2">{t('shareAgain.dialog.noMatch')}</Typography>}
          <ContactList contacts={shown} isChosen={isChosen} onToggle={toggle} />
          <NewContactForm onCreated={onCreated} />
        </div>
      }
      actions={
        <>
          <Button variant="secondary" label={t('shareAgain.dialog.cancel')} onClick={onCancel} />
          <Button label={t('shareAgain.dialog.save')} onClick={() => onSave(chosen)} disabled={chosen.length === 0 || saving} busy={saving} />
        </>
      }
    />
  )
}
