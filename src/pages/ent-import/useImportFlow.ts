import { useCallback, useEffect, useRef, useState } from 'react'
import { useClient } from 'cozy-client'
import type CozyClient from 'cozy-client'
import { useTranslation } from '../../stack-client/react/useTranslation'
import { useStackApi } from '../../stack-client/react/useStackApi'
import { DEFAULT_DESTINATION_PATH } from '../../import/records'
import { defaultSelection } from './preview/items'
import { followedImport } from './ongoing-import'
import { useChosenArchive, type Source } from './useChosenArchive'
import { useImportStart } from './useImportStart'
import type { Problem } from './ProblemAlert'

export type Step =
  | { step: 'choose' }
  | { step: 'reading' }
  | { step: 'preview' }
  | { step: 'uploading'; loaded: number; total: number; speed: number | null }
  | { step: 'starting' }
  | { step: 'konnector-missing'; importId: string }
  | { step: 'following'; importId: string }

/** The import page's step, the chosen archive, what is ticked and where it goes, and the moves between steps. */
export function useImportFlow(following: string | null | undefined, onStarted: (() => void) | undefined) {
  const { lang } = useTranslation()
  const api = useStackApi()
  const client = useClient() as CozyClient
  const [state, setState] = useState<Step>(following ? { step: 'following', importId: following } : { step: 'choose' })
  const [problem, setProblem] = useState<Problem | null>(null)
  const [selected, setSelected] = useState<Set<string>>(new Set())
  const [destination, setDestination] = useState<{ id: string | null; path: string }>({ id: null, path: DEFAULT_DESTINATION_PATH })
  const { chosen, choose, forget } = useChosenArchive(api, client)
  const abort = useRef<AbortController | null>(null)
  useEffect(() => () => abort.current?.abort(), [])

  const showPreview = useCallback(
    async (source: Source) => {
      setProblem(null)
      setState({ step: 'reading' })
      const outcome = await choose(source)
      if (outcome.ok) {
        setSelected(defaultSelection(outcome.preview))
        setState({ step: 'preview' })
      } else {
        setProblem({ key: `entImport.errors.${outcome.code}`, file: source.file.name })
        setState({ step: 'choose' })
      }
    },
    [choose]
  )

  const { busy, start, retryStart } = useImportStart({ api, client, lang, state, chosen, selected, destination, setState, setProblem, onStarted, abort })

  const backToPicker = () => {
    setProblem(null)
    setState({ step: 'choose' })
  }
  const another = () => {
    followedImport.set(null)
    forget()
    backToPicker()
  }
  const cancelUpload = () => abort.current?.abort()

  return { state, setState, problem, chosen, selected, setSelected, destination, setDestination, busy, showPreview, start, retryStart, backToPicker, another, cancelUpload }
}
