import React, { useCallback, useState } from 'react'
import Button from 'cozy-ui/transpiled/react/Buttons'
import TextField from 'cozy-ui/transpiled/react/TextField'
import Typography from 'cozy-ui/transpiled/react/Typography'
import { useClient } from 'cozy-client'
import type CozyClient from 'cozy-client'
import { useTranslation } from '../../stack-client/react/useTranslation'
import { toStackError } from '../../stack-client'
import { createContact, EMAIL_PATTERN, type Contact } from './contacts'

/** A new Cozy contact from a name and an email, for a recipient who is not in the contacts yet. */
export function NewContactForm({ onCreated }: { onCreated(contact: Contact): void }): JSX.Element {
  const { t } = useTranslation()
  const client = useClient() as CozyClient
  const [name, setName] = useState('')
  const [email, setEmail] = useState('')
  const [emailError, setEmailError] = useState<string | null>(null)
  const [creating, setCreating] = useState(false)

  const create = useCallback(async () => {
    if (!EMAIL_PATTERN.test(email.trim())) {
      setEmailError(t('shareAgain.dialog.invalidEmail'))
      return
    }
    setEmailError(null)
    setCreating(true)
    try {
      const contact = await createContact(client, name, email)
      onCreated(contact)
      setName('')
      setEmail('')
    } catch (err) {
      setEmailError(t(toStackError(err).translationKey))
    } finally {
      setCreating(false)
    }
  }, [client, email, name, onCreated, t])

  return (
    <>
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
    </>
  )
}
