import React, { useCallback } from 'react'
import { useHref, useParams } from 'react-router-dom'
import Alert from 'cozy-ui/transpiled/react/Alert'
import AlertTitle from 'cozy-ui/transpiled/react/AlertTitle'
import Button from 'cozy-ui/transpiled/react/Buttons'
import Icon from 'cozy-ui/transpiled/react/Icon'
import DownloadIcon from 'cozy-ui/transpiled/react/Icons/Download'
import Typography from 'cozy-ui/transpiled/react/Typography'
import { useTranslation } from '../../stack-client/react/useTranslation'
import { PageIntro } from '../../components/PageIntro'
import type { ExportDoc, ExportPart, StackApi } from '../../stack-client'
import { useStackQuery } from '../../stack-client/react/useStackQuery'
import { LoadingState, StackErrorAlert } from '../../components/QueryStates'
import { formatBytes, formatDateTime } from './part-sizes'

function PartsList({ doc, parts }: { doc: ExportDoc; parts: ExportPart[] }): JSX.Element {
  const { t, lang } = useTranslation()
  const single = parts.length === 1
  return (
    <section aria-labelledby="download-parts-title" className="u-mv-1-half">
      <Typography variant="h5" component="h2" id="download-parts-title" className="u-mb-half">
        {t('export.download.partsTitle', { smart_count: parts.length })}
      </Typography>
      {doc.expiresAt && (
        <Typography variant="body1" className="u-mb-half">
          {t('export.download.expires', { date: formatDateTime(doc.expiresAt, lang) ?? '—' })}
        </Typography>
      )}
      {doc.partsSize !== undefined && (
        <Typography variant="body2" color="textSecondary" className="u-mb-1">
          {t('export.download.partSize', { size: formatBytes(doc.partsSize, lang) })}
        </Typography>
      )}
      <ul className="u-m-0 u-p-0" style={{ listStyle: 'none' }}>
        {parts.map(part => (
          <li key={part.index} className="u-mb-half u-flex u-flex-wrap u-flex-items-center" style={{ columnGap: '0.75rem' }}>
            {/* A top-level link: the stack refuses to be framed by any app but Settings. */}
            <Button
              component="a"
              href={part.url}
              rel="noopener"
              variant="secondary"
              startIcon={<Icon icon={DownloadIcon} aria-hidden="true" />}
              label={single ? t('export.download.cta') : t('export.download.ctaPart', { number: part.index })}
              aria-describedby={doc.partsSize !== undefined ? `download-part-size-${part.index}` : undefined}
              style={{ minWidth: '16rem', justifyContent: 'flex-start' }}
            />
            {/* The stack gives one size for every part (parts_size) and streams each zip without a length. */}
            {doc.partsSize !== undefined && (
              <Typography variant="body2" color="textSecondary" id={`download-part-size-${part.index}`} data-testid="part-size">
                {t('export.download.partSizeEach', { size: formatBytes(doc.partsSize, lang) })}
              </Typography>
            )}
          </li>
        ))}
      </ul>
    </section>
  )
}

function UnpackAdvice(): JSX.Element {
  const { t } = useTranslation()
  return (
    <section aria-labelledby="download-advice-title" className="u-mv-1-half">
      <Typography variant="h5" component="h2" id="download-advice-title" className="u-mb-half">
        {t('export.download.advice.title')}
      </Typography>
      <ul className="u-mv-0 u-pl-1-half">
        <li>
          <Typography variant="body2">{t('export.download.advice.sevenZip')}</Typography>
        </li>
        <li>
          <Typography variant="body2">{t('export.download.advice.spread')}</Typography>
        </li>
        <li>
          <Typography variant="body2">{t('export.download.advice.oneByOne')}</Typography>
        </li>
      </ul>
    </section>
  )
}

/** `#/exports/:mac`: the parts of one export, from the link of the mail. */
export function ExportDownloadPage(): JSX.Element {
  const { t, lang } = useTranslation()
  const { mac = '' } = useParams()
  const load = useCallback(
    async (api: StackApi) => {
      const doc = await api.exports.get(mac)
      return { doc, parts: api.exports.partUrls(mac, doc) }
    },
    [mac]
  )
  const query = useStackQuery(load)
  // A real link (not a button role) to the export page, in the router's own href form.
  const exportPageHref = useHref('/export')

  return (
    <>
      <PageIntro i18nKey="export.download" />
      {query.status === 'loading' && <LoadingState label={t('export.download.loading')} />}
      {query.status === 'error' && (
        <StackErrorAlert
          error={query.error}
          onRetry={query.error.status === 0 || query.error.status >= 500 ? query.retry : undefined}
        />
      )}
      {query.status === 'ready' && query.data.doc.state === 'exporting' && (
        <Alert
          severity="info"
          role="status"
          action={<Button variant="text" label={t('export.download.refresh')} onClick={query.retry} />}
        >
          <div>
            <AlertTitle>{t('export.download.exportingTitle')}</AlertTitle>
            {t('export.download.exporting', { date: formatDateTime(query.data.doc.createdAt, lang) ?? '—' })}
          </div>
        </Alert>
      )}
      {query.status === 'ready' && query.data.doc.state === 'error' && (
        <Alert severity="error" role="alert">
          <div>
            <AlertTitle>{t('export.progress.failedTitle')}</AlertTitle>
            {t('stackErrors.exports.failed')}
          </div>
        </Alert>
      )}
      {query.status === 'ready' && query.data.doc.state === 'done' && (
        <>
          <PartsList doc={query.data.doc} parts={query.data.parts} />
          <UnpackAdvice />
        </>
      )}
      {query.status !== 'loading' && (
        <div className="u-mt-1">
          <Button component="a" href={exportPageHref} variant="secondary" label={t('export.download.newExport')} />
        </div>
      )}
    </>
  )
}
