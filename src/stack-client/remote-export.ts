/**
 * The export of another Cozy, read from its `/move/exports/<mac>` before an import: a plain
 * cross-origin GET without credentials, since the MAC in the path is the only credential
 * (docs/move.md) and this Cozy's token means nothing there — so not through cozy-client.
 */
export type ReadJson = (url: string) => Promise<unknown>

export const readRemoteExportJson: ReadJson = async url => {
  const res = await fetch(url, { credentials: 'omit', headers: { Accept: 'application/vnd.api+json' } })
  if (!res.ok) throw new Error(`HTTP ${res.status}`)
  return res.json()
}
