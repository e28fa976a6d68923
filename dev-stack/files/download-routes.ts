import type { Router } from 'express'
import { jsonApiError, route } from '../http/errors'
import { queryString } from '../http/body'
import { type FilesKit } from './route-kit'

/** /files: downloads with Range (docs/files.md; web/files/files.go). */
export function mountDownloads(router: Router, kit: FilesKit): void {
  const { vfs, load, loadByPath, check } = kit
  // docs/files.md "GET /files/download" (by path) and "GET /files/download/:file-id", with Range
  const download = (byPath: boolean) =>
    route(async (req, res) => {
      const doc = byPath ? await loadByPath(req) : await load(req.params.id)
      await check(req, 'GET', doc)
      if (doc.type !== 'file') throw jsonApiError(400, 'Not a file')
      const size = Number(doc.size ?? 0)
      const disposition = queryString(req, 'Dl') === '1' ? 'attachment' : 'inline'
      const ascii = doc.name.replace(/[^\x20-\x7e]|["\\]/g, '_')
      res.setHeader('Content-Disposition', `${disposition}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(doc.name)}`)
      res.setHeader('Content-Type', doc.mime ?? 'application/octet-stream')
      res.setHeader('Etag', `"${doc.md5sum ?? ''}"`)
      res.setHeader('Accept-Ranges', 'bytes')
      res.setHeader('Last-Modified', new Date(doc.updated_at).toUTCString())
      const range = req.headers.range
      if (range) {
        const m = /^bytes=(\d*)-(\d*)$/.exec(range.trim())
        let start = m && m[1] !== '' ? Number(m[1]) : NaN
        let end = m && m[2] !== '' ? Number(m[2]) : NaN
        if (m && m[1] === '' && m[2] !== '') {
          start = Math.max(0, size - Number(m[2]))
          end = size - 1
        } else if (m && Number.isNaN(end)) end = size - 1
        if (!m || Number.isNaN(start) || start >= size || end < start) {
          res.setHeader('Content-Range', `bytes */${size}`)
          res.status(416).end()
          return
        }
        end = Math.min(end, size - 1)
        res.status(206)
        res.setHeader('Content-Range', `bytes ${start}-${end}/${size}`)
        res.setHeader('Content-Length', String(end - start + 1))
        if (req.method === 'HEAD') return void res.end()
        vfs.openContent(doc._id, { start, end }).pipe(res)
        return
      }
      res.setHeader('Content-Length', String(size))
      if (req.method === 'HEAD') return void res.end()
      res.status(200)
      vfs.openContent(doc._id).pipe(res)
    })
  router.get('/files/download', download(true))
  router.get('/files/download/:id', download(false))
}
