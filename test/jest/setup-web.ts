import '@testing-library/jest-dom'

// jsdom lacks the web streams every browser has; @zip.js/zip.js (the browser's zip reader,
// src/ent/zip/web-platform.ts) needs them as soon as it loads. Node's are the same standard.
import { ReadableStream, TransformStream, WritableStream } from 'stream/web'

const webStreams = { ReadableStream, TransformStream, WritableStream }
for (const [name, value] of Object.entries(webStreams)) {
  if ((globalThis as Record<string, unknown>)[name] === undefined) (globalThis as Record<string, unknown>)[name] = value
}

// Pages read archives in the background: on a loaded CI machine that takes longer than the
// library's 1 s default, which is about speed, not about what the page shows.
import { configure } from '@testing-library/react'
configure({ asyncUtilTimeout: 10_000 })
