import { useMemo } from 'react'
import { useClient } from 'cozy-client'
import { stackApiOf, type StackApi } from '../index'

/** The stack client of the CozyProvider's client, for components. */
export function useStackApi(): StackApi {
  const client = useClient()
  return useMemo(() => {
    if (!client) throw new Error('useStackApi needs a CozyProvider around the page.')
    return stackApiOf(client)
  }, [client])
}
