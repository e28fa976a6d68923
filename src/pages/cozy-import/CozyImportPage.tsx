import React, { useEffect, useState } from 'react'
import { useHref } from 'react-router-dom'
import Alert from 'cozy-ui/transpiled/react/Alert'
import AlertTitle from 'cozy-ui/transpiled/react/AlertTitle'
import Button from 'cozy-ui/transpiled/react/Buttons'
import TextField from 'cozy-ui/transpiled/react/TextField'
import Typography from 'cozy-ui/transpiled/react/Typography'
import { PageIntro } from '../../components/PageIntro'
import { toStackError, type StackError } from '../../stack-client'
import { useStackApi } from '../../stack-client/react/useStackApi'
import { StackErrorAlert } from '../../components/QueryStates'
import { useTranslation } from '../../stack-client/react/useTranslation'
import { readExportSummary, type ExportSummary, type ReadJson } from './export-summary'
import { ExportSummaryPanel } from './ExportSummaryPanel'
import { withStackReason } from './start-failure'

type Step =
  | { name: 'link' }
  | { name: 'checking' }
  | { name: 'confirm' }
  | { name: 'starting' }
  | { name: 'started' }

interface Props {
  /** Sends the browser to the stack's waiting page; replaced in tests. */
  navigateTo?: (url: string) => void
  /** Reads the export on the other Cozy; replaced in tests. */
  readJson?: ReadJson
}

function hostOf(uri: string): string {
  try {
    return new URL(uri).host
  } catch {
    return uri
  }
}

function useExportSummary(link: string, checked: boolean, readJson?: ReadJson): ExportSummary | 'loading' | null {
  const [summary, setSummary] = useState<ExportSummary | 'loading' | null>(null)
  useEffect(() => {
    if (!checked) return setSummary(null)
    let current = true
    setSummary('loading')
    void readExportSummary(link, readJson).then(found => {
      if (current) setSummary(found)
    })
    return () => {
      current = false
    }
    // The link cannot change while checked: editing it goes back to the link step.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [checked])
  return summary
}

function ImportSteps(): JSX.Element {
  const { t } = useTranslation()
  return (
  <section aria-labelledby="import-steps-title" className="u-mb-1-half">
    <Typography variant="h5" component="h2" id="import-steps-title" className="u-mb-half">
      {t('cozyImport.steps.title')}
    </Typography>
    <ol className="u-mv-0 u-pl-1-half">
      {(['link', 'check', 'confirm', 'wait'] as const).map(key => (
        <li key={key}>
          <Typography variant="body2">{t(`cozyImport.steps.${key}`)}</Typography>
        </li>
      ))}
    </ol>
  </section>
  )
}

function EraseWarning({ domain, exportHref }: { domain: string; exportHref: string }): JSX.Element {
  const { t } = useTranslation()
  return (
    <Alert severity="error" icon={false} role="region" aria-labelledby="import-warning-title">
      <div>
        <AlertTitle>
          <span id="import-warning-title">{t('cozyImport.warning.title')}</span>
        </AlertTitle>
        <Typography variant="body1" className="u-mb-half">
          {t('cozyImport.warning.erase', { domain })}
        </Typography>
        <Typography variant="body2" className="u-mb-half">
          {t('cozyImport.warning.notImported')}
        </Typography>
        <Typography variant="body2">
          {t('cozyImport.warning.exportFirst')}{' '}
          <a href={exportHref}>{t('cozyImport.warning.exportLink')}</a>
        </Typography>
      </div>
    </Alert>
  )
}

interface ConfirmProps {
  summary: ExportSummary | 'loading' | null
  domain: string
  exportHref: string
  typed: string
  onType(value: string): void
  starting: boolean
  onStart(): void
  onCancel(): void
}

/** What will be erased, and the typed word that lets the import start. */
function ConfirmSection({ summary, domain, exportHref, typed, onType, starting, onStart, onCancel }: ConfirmProps): JSX.Element {
  const { t } = useTranslation()
  const word = t('cozyImport.confirm.word')
  return (
  <section className="u-mt-1-half">
    <Typography variant="body1" role="status" className="u-mb-1">
      {t('cozyImport.link.ok')}
    </Typography>
    {summary && <ExportSummaryPanel summary={summary} />}
    <EraseWarning domain={domain} exportHref={exportHref} />
    <TextField
      id="import-confirmation"
      className="u-mt-1"
      variant="outlined"
      fullWidth
      label={t('cozyImport.confirm.label', { word })}
      value={typed}
      disabled={starting}
      onChange={(event: React.ChangeEvent<HTMLInputElement>) => onType(event.target.value)}
      inputProps={{ autoComplete: 'off', spellCheck: false, autoCapitalize: 'characters' }}
    />
    <div className="u-flex u-flex-wrap u-mt-1" style={{ gap: '0.5rem' }}>
      <Button
        color="error"
        label={t('cozyImport.confirm.submit')}
        onClick={onStart}
        disabled={!confirmationMatches(typed, word)}
        busy={starting}
      />
      <Button
        variant="secondary"
        label={t('cozyImport.confirm.cancel')}
        disabled={starting}
        onClick={onCancel}
      />
    </div>
  </section>
  )
}

/** Typed confirmation: the same word, whatever the case and surrounding spaces. */
export function confirmationMatches(typed: string, word: string): boolean {
  return typed.trim().toLocaleUpperCase() === word.toLocaleUpperCase()
}

/** The two stack calls of the page: the precheck of the link, then the start of the import. */
function useImportFlow(link: string, navigateTo: (url: string) => void) {
  const api = useStackApi()
  const [step, setStep] = useState<Step>({ name: 'link' })
  const [error, setError] = useState<StackError | null>(null)
  const [typed, setTyped] = useState('')

  const precheck = async (event: React.FormEvent) => {
    event.preventDefault()
    setError(null)
    setStep({ name: 'checking' })
    try {
      await api.imports.precheck(link)
      setTyped('')
      setStep({ name: 'confirm' })
    } catch (err) {
      setError(toStackError(err))
      setStep({ name: 'link' })
    }
  }

  const start = async () => {
    setError(null)
    setStep({ name: 'starting' })
    try {
      const importingPage = await api.imports.start(link)
      setStep({ name: 'started' })
      navigateTo(importingPage)
    } catch (err) {
      setError(withStackReason(toStackError(err)))
      setStep({ name: 'confirm' })
    }
  }

  return { step, setStep, error, setError, typed, setTyped, precheck, start }
}

/**
 * "Importer un export de Cozy": paste the mailed link, precheck it, read what will be erased,
 * type the confirmation word, then hand over to the stack's importing page.
 */
export function CozyImportPage({
  navigateTo = url => window.location.assign(url),
  readJson
}: React.PropsWithChildren<Props>): JSX.Element {
  const { t } = useTranslation()
  const api = useStackApi()
  const exportHref = useHref('/export')
  const [link, setLink] = useState('')
  const { step, setStep, error, setError, typed, setTyped, precheck, start } = useImportFlow(link, navigateTo)
  const domain = hostOf(api.uri)

  // Once the stack accepted the link, read which export it is, for the warning to name it.
  const summary = useExportSummary(link, step.name === 'confirm' || step.name === 'starting', readJson)

  const confirming = step.name === 'confirm' || step.name === 'starting'

  return (
    <>
      <PageIntro i18nKey="pages.cozyImport" />
      <ImportSteps />

      <form onSubmit={precheck} noValidate className="u-flex u-flex-column u-flex-items-start">
        <TextField
          id="import-link"
          variant="outlined"
          fullWidth
          label={t('cozyImport.link.label')}
          helperText={t('cozyImport.link.help')}
          value={link}
          disabled={step.name === 'starting' || step.name === 'started'}
          onChange={(event: React.ChangeEvent<HTMLInputElement>) => {
            setLink(event.target.value)
            setError(null)
            if (step.name === 'confirm') setStep({ name: 'link' })
          }}
          inputProps={{ autoComplete: 'off', spellCheck: false }}
        />
        {!confirming && step.name !== 'started' && (
          <Button
            type="submit"
            className="u-mt-1"
            label={t('cozyImport.link.check')}
            busy={step.name === 'checking'}
            disabled={link.trim() === ''}
          />
        )}
      </form>

      {error && <StackErrorAlert error={error} className="u-mt-1" />}
      {step.name === 'checking' && (
        <Typography variant="body2" role="status" className="u-mt-half">
          {t('cozyImport.link.checking')}
        </Typography>
      )}

      {confirming && (
        <ConfirmSection
          summary={summary}
          domain={domain}
          exportHref={exportHref}
          typed={typed}
          onType={setTyped}
          starting={step.name === 'starting'}
          onStart={() => void start()}
          onCancel={() => setStep({ name: 'link' })}
        />
      )}

      {step.name === 'started' && (
        <Alert severity="info" role="status" className="u-mt-1-half">
          {t('cozyImport.started')}
        </Alert>
      )}
    </>
  )
}
