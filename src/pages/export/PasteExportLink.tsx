import React, { useState } from 'react'
import { useNavigate } from 'react-router-dom'
import Button from 'cozy-ui/transpiled/react/Buttons'
import TextField from 'cozy-ui/transpiled/react/TextField'
import Typography from 'cozy-ui/transpiled/react/Typography'
import { useTranslation } from '../../stack-client/react/useTranslation'
import { parseExportLink } from '../../stack-client'

/**
 * The mail's link opens the Settings app; pasting it here opens this app's own download
 * page, since no stack API gives the link to another app (cozy-stack-api.md §0.1).
 */
export function PasteExportLink(): JSX.Element {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const [value, setValue] = useState('')
  const [invalid, setInvalid] = useState(false)

  const submit = (event: React.FormEvent) => {
    event.preventDefault()
    const mac = parseExportLink(value)
    if (!mac) {
      setInvalid(true)
      return
    }
    navigate(`/exports/${mac}`)
  }

  return (
    <section aria-labelledby="export-paste-title" className="u-mv-1-half">
      <Typography variant="h5" component="h2" id="export-paste-title" className="u-mb-half">
        {t('export.paste.title')}
      </Typography>
      <Typography variant="body2" color="textSecondary" className="u-mb-1">
        {t('export.paste.help')}
      </Typography>
      <form onSubmit={submit} noValidate className="u-flex u-flex-column u-flex-items-start">
        <TextField
          id="export-link"
          variant="outlined"
          fullWidth
          label={t('export.paste.label')}
          value={value}
          error={invalid}
          helperText={invalid ? t('export.paste.invalid') : t('export.paste.example')}
          onChange={(event: React.ChangeEvent<HTMLInputElement>) => {
            setValue(event.target.value)
            setInvalid(false)
          }}
          inputProps={{ autoComplete: 'off', spellCheck: false }}
        />
        <Button type="submit" variant="secondary" className="u-mt-1" label={t('export.paste.submit')} />
      </form>
    </section>
  )
}
