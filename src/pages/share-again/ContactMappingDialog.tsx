import React, { useCallback, useMemo, useState } from 'react'
import Button from 'cozy-ui/transpiled/react/Buttons'
import { Dialog } from 'cozy-ui/transpiled/react/CozyDialogs'
import TextField from 'cozy-ui/transpiled/react/TextField'
import Typography from 'cozy-ui/transpiled/react/Typography'
import Checkbox from 'cozy-ui/transpiled/react/Checkbox'
import { useTranslation } from '../../stack-client/react/useTranslation'
import { useClient } from 'cozy-client'
import type CozyClient from 'cozy-client'
import { LoadingState, StackErrorAlert } from '../../components/QueryStates'
import { toStackError } from '../../stack-client'
import { buildContactGroupsQuery, buildContactsQuery } from '../../queries'
import { useDocQuery, type DocQuery } from '../../queries/state'
import { contactChoices, createContact, EMAIL_PATTERN, matchesContact, type Contact } from './contacts'
import type { MappedContact } from './recipients'

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

/** Chooses the Cozy contacts an ENT recipient is (search, or create one from an email). */
export function ContactMappingDialog({ title, isGroup, initial, onSave, onCancel, saving }: Props): JSX.Element {
  const { t } = useTranslation()
  const client = useClient() as CozyClient
  const contacts = useContactChoices()
  const [query, setQuery] = useState('')
  const [chosen, setChosen] = useState<MappedContact[]>(initial)
  const [created, setCreated] = useState<Contact[]>([])
  const [name, setName] = useState('')
  const [email, setEmail] = useState('')
  const [emailError, setEmailError] = useState<string | null>(null)
  const [creating, setCreating] = useState(false)

  // A contact made here reaches the contacts query too (client.save updates the store): listed once.
  const all = useMemo(() => {
    const listed = contacts.status === 'ready' ? contacts.data : []
    return [...created.filter(c => !listed.some(l => l.id === c.id)), ...listed]
  }, [created, contacts])
  const shown = all.filter(c => matchesContact(c, query)).slice(0, 30)
  const isChosen = (c: Contact) => chosen.some(m => m.id === c.id)
  const toggle = (c: Contact) =>
    setChosen(current => (current.some(m => m.id === c.id) ? current.filter(m => m.id !== c.id) : isGroup ? [...current, { id: c.id, doctype: c.doctype, name: c.name }] : [{ id: c.id, doctype: c.doctype, name: c.name }]))

  const create = useCallback(async () => {
    if (!EMAIL_PATTERN.test(email.trim())) {
      setEmailError(t('shareAgain.dialog.invalidEmail'))
      return
    }
    setEmailError(null)
    setCreating(true)
    try {
      const contact = await createContact(client, name, email)
      setCreated(current => [contact, ...current])
      setChosen(current => (isGroup ? [...current, { id: contact.id, doctype: contact.doctype, name: contact.name }] : [{ id: contact.id, doctype: contact.doctype, name: contact.name }]))
      setName('')
      setEmail('')
    } catch (err) {
      setEmailError(t(toStackError(err).translationKey))
    } finally {
      setCreating(false)
    }
  }, [client, email, name, isGroup, t])

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
          <ul className="u-m-0 u-p-0" style={{ listStyle: 'none', maxHeight: 260, overflowY: 'auto' }}>
            {shown.map(contact => {
              const id = `contact-${contact.id}`
              return (
                <li key={contact.id} className="u-flex u-flex-items-center">
                  <Checkbox id={id} checked={isChosen(contact)} onChange={() => toggle(contact)} />
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
          <Typography variant="subtitle1" component="h3" className="u-mt-1 u-mb-half">
            {t('shareAgain.dialog.create')}
          </Typography>
          <div className="u-flex u-flex-wrap" style={{ gap: 8 }}>
            <TextField id="share-contact-name" variant="outlined" size="small" label={t('shareAgain.dialog.name')} value={name} onChange={(e: React.ChangeEvent<HTMLInputElement>) => setName(e.target.value)} />
            <TextField
              id="share-contact-email"
              variant="outlined"
              size="small"
              type="email"
              label={t('shareAgain.dialog.email')}
              value={email}
              error={!!emailError}
              helperText={emailError ?? undefined}
              onChange={(e: React.ChangeEvent<HTMLInputElement>) => setEmail(e.target.value)}
            />
            <Button variant="secondary" label={t('shareAgain.dialog.add')} onClick={() => void create()} busy={creating} disabled={creating} />
          </div>
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
