/**
 * HTML for what an app stores beside a note's text (a picture, a link, a plain description),
 * so that it goes through the same path as pictures written inside rich text: `/workspace/
 * document/<id>` sources are rewritten to the imported copy, everything else is sanitised.
 */

import { escapeHtml } from '../../text/escape-html'

export function imageHtml(src: string, alt = ''): string {
  return `<p><img src="${escapeHtml(src)}" alt="${escapeHtml(alt)}"></p>`
}

export function linkHtml(href: string, text: string | null = null): string {
  return `<p><a href="${escapeHtml(href)}">${escapeHtml(text ?? href)}</a></p>`
}

/** Plain text typed in a textarea: one paragraph per blank-line-separated block, line breaks kept. */
export function plainTextHtml(text: string): string {
  return text
    .split(/\r?\n\s*\r?\n/)
    .map(block => block.trim())
    .filter(block => block.length > 0)
    .map(block => `<p>${block.split(/\r?\n/).map(escapeHtml).join('<br>')}</p>`)
    .join('\n')
}
