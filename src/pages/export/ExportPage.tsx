import React, { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import Button from 'cozy-ui/transpiled/react/Buttons'
import Divider from 'cozy-ui/transpiled/react/Divider'
import { useTranslation } from '../../stack-client/react/useTranslation'
import { PageIntro } from '../../components/PageIntro'
import type { StackApi } from '../../stack-client'
import { useStackApi } from '../../stack-client/react/useStackApi'
import { useStackQuery } from '../../stack-client/react/useStackQuery'
import {
  buildInstanceQuery,
  buildKonnectorsQuery,
  buildWebappsQuery,
  combineQueries,
  installedAppsFromDocs,
  instanceFromDoc,
  useSpecQuery,
  type PageQuery,
  type QueryResult
} from '../../queries'
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

// Disk usage is a route, not a doctype: it stays with the stack client.
const loadDiskUsage = (api: StackApi) => api.settings.getDiskUsage()

interface ExportContext {
  email?: string
  groups: ReturnType<typeof appGroupsFrom>
  usedBytes: number
}

/** The apps, konnectors and instance through cozy-client queries; the disk usage from its route. */
function useExportContext(): PageQuery<ExportContext> {
  const instance = useSpecQuery(buildInstanceQuery())
  const webapps = useSpecQuery(buildWebappsQuery())
  const konnectors = useSpecQuery(buildKonnectorsQuery())
  const usage = useStackQuery(loadDiskUsage)
  const usageResult: QueryResult = {
    fetchStatus: usage.status === 'ready' ? 'loaded' : usage.status === 'error' ? 'failed' : 'loading',
    data: usage.status === 'ready' ? usage.data.used : 0,
    lastError: usage.status === 'error' ? usage.error : undefined,
    fetch: usage.retry
  }
  return combineQueries([instance, webapps, konnectors, usageResult], ([inst, apps, konns, used]) => ({
    email: instanceFromDoc(inst).email,
    groups: appGroupsFrom([...installedAppsFromDocs(apps, 'webapp'), ...installedAppsFromDocs(konns, 'konnector')], OWN_SLUG),
    usedBytes: typeof used === 'number' ? used : 0
  }))
}

/** "Exporter mon Cozy": choose the apps and the part size, start, follow, then check the mail. */
export function ExportPage({ jobCheckMs }: { jobCheckMs?: number; children?: React.ReactNode }): JSX.Element {
  const { t } = useTranslation()
  const api = useStackApi()
  const context = useExportContext()
  const { progress, live, start } = useExportProgress(api, jobCheckMs)
  const [ticked, setTicked] = useState<Set<string>>(new Set())
  const [partsSize, setPartsSize] = useState(0)
  const sender = noReplySender(api.uri)
  const stateRef = useRef<HTMLDivElement>(null)
  const pasteRef = useRef<HTMLDivElement>(null)

  const data = context.status === 'ready' ? context.data : undefined
  // The combined result is rebuilt on each render: the groups are compared by what they hold.
  const groupsKey = JSON.stringify(data?.groups ?? [])
  const groups = useMemo(() => JSON.parse(groupsKey) as ExportContext['groups'], [groupsKey])
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
