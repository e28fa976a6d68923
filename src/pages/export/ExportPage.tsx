import React, { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import Button from 'cozy-ui/transpiled/react/Buttons'
import Divider from 'cozy-ui/transpiled/react/Divider'
import { useTranslation } from '../../stack-client/react/useTranslation'
import { PageIntro } from '../../components/PageIntro'
import type { StackApi } from '../../stack-client'
import { useStackApi } from '../../stack-client/react/useStackApi'
import { useStackQuery } from '../../stack-client/react/useStackQuery'
import { LoadingState, StackErrorAlert } from '../../components/QueryStates'
import { appGroupsFrom, doctypesOf } from './app-groups'
import { ExportAppsChoice } from './ExportAppsChoice'
import { PartSizeChoice } from './PartSizeChoice'
import { ExportProgressPanel } from './ExportProgressPanel'
import { ExportLimits } from './ExportLimits'
import { PasteExportLink } from './PasteExportLink'
import { useExportProgress } from './useExportProgress'
import { noReplySender } from './part-sizes'

const OWN_SLUG = 'mes-donnees'

async function loadExportContext(api: StackApi) {
  const [instance, webapps, konnectors, usage] = await Promise.all([
    api.settings.getInstance(),
    api.apps.listWebapps(),
    api.apps.listKonnectors(),
    api.settings.getDiskUsage()
  ])
  return { email: instance.email, groups: appGroupsFrom([...webapps, ...konnectors], OWN_SLUG), usedBytes: usage.used }
}

/** "Exporter mon Cozy": choose the apps and the part size, start, follow, then check the mail. */
export function ExportPage(): JSX.Element {
  const { t } = useTranslation()
  const api = useStackApi()
  const context = useStackQuery(loadExportContext)
  const { progress, live, start } = useExportProgress(api)
  const [ticked, setTicked] = useState<Set<string>>(new Set())
  const [partsSize, setPartsSize] = useState(0)
  const sender = noReplySender(api.uri)
  const stateRef = useRef<HTMLDivElement>(null)
  const pasteRef = useRef<HTMLDivElement>(null)

  const data = context.status === 'ready' ? context.data : undefined
  const groups = useMemo(() => data?.groups ?? [], [data])
  // Everything is ticked by default, as the ENT does.
  useEffect(() => setTicked(new Set(groups.map(g => g.id))), [groups])

  const running = progress.phase === 'submitting' || progress.phase === 'requested' || progress.phase === 'exporting'
  const everything = groups.length > 0 && groups.every(g => ticked.has(g.id))

  const onStart = () => {
    void start({ partsSize, withDoctypes: everything ? [] : doctypesOf(groups, ticked) })
  }

  // The state sits under the intro, above the long form: on a phone the button that starts the
  // export is far below, so the view goes up to the state once it shows.
  const shown = progress.phase !== 'idle'
  useEffect(() => {
    if (shown) stateRef.current?.scrollIntoView?.({ block: 'nearest', behavior: 'smooth' })
  }, [shown])

  const openDownload = useCallback(() => {
    pasteRef.current?.scrollIntoView?.({ block: 'center', behavior: 'smooth' })
    pasteRef.current?.querySelector('input')?.focus({ preventScroll: true })
  }, [])

  return (
    <>
      <PageIntro i18nKey="pages.export" />
      <div ref={stateRef}>
        {context.status === 'ready' && (
          <ExportProgressPanel progress={progress} live={live} email={context.data.email} sender={sender} onOpenDownload={openDownload} />
        )}
      </div>
      {context.status === 'loading' && <LoadingState label={t('export.loading')} />}
      {context.status === 'error' && <StackErrorAlert error={context.error} onRetry={context.retry} />}
      {context.status === 'ready' && (
        <>
          <ExportAppsChoice groups={groups} ticked={ticked} onChange={setTicked} disabled={running} />
          <Divider className="u-mv-1-half" />
          <PartSizeChoice value={partsSize} onChange={setPartsSize} usedBytes={context.data.usedBytes} disabled={running} />
          <ExportLimits email={context.data.email} sender={sender} />
          <div>
            <Button
              label={t('export.start')}
              onClick={onStart}
              disabled={ticked.size === 0 || running}
              busy={progress.phase === 'submitting'}
            />
          </div>
        </>
      )}
      <Divider className="u-mv-1-half" />
      <div ref={pasteRef}>
        <PasteExportLink />
      </div>
    </>
  )
}
