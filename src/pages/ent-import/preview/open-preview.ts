/**
 * What the page calls to preview an archive, loaded on demand: the archive reader stays out
 * of the page's start-up (and out of every other page and test that only renders the menu).
 */
import { blobSource } from '../../../ent'
import { previewArchiveInStages, previewErrorCode, type StagedPreview } from './archive-preview'
import { webHttpSource } from '../../../ent/zip/web-http-source'
import { loadZipJs } from '../../../ent/zip/web-platform'

/** Loads zip.js ahead of the first archive (the page calls it when idle). */
export async function warmUp(): Promise<void> {
  await loadZipJs()
}

export type PreviewResult =
  | ({ ok: true } & StagedPreview)
  | { ok: false; code: string }

async function attempt(run: () => ReturnType<typeof previewArchiveInStages>): Promise<PreviewResult> {
  try {
    return { ok: true, ...(await run()) }
  } catch (err) {
    return { ok: false, code: previewErrorCode(err) }
  }
}

/** A dropped or picked File: read through slices, never whole. The user's name follows. */
export function previewFile(file: Blob & { name: string }): Promise<PreviewResult> {
  return attempt(() => previewArchiveInStages(blobSource(file), file.name))
}

/** A zip in the Drive: read through HTTP Range requests on its download URL. */
export function previewDriveFile(url: string, size: number, authorization: string | null, name: string): Promise<PreviewResult> {
  return attempt(() => previewArchiveInStages(webHttpSource(url, size, authorization, name), name))
}
