import type { StackFetcher } from './fetcher'

/**
 * The move is started by a plain HTML form POST to `/move/initialize` (session cookie, no
 * token): the stack answers 307 to the move wizard configured as `move.url`
 * (cozy-stack-api.md §3.2). An XHR cannot follow that, so the module only gives the action.
 */
export function moveApi(stack: StackFetcher) {
  return {
    initializeFormAction(): string {
      return `${stack.uri}/move/initialize`
    }
  }
}

export type MoveApi = ReturnType<typeof moveApi>
