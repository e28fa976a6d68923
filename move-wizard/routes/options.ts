/** Paths match exactly as the wizard writes them: /Summary and /summary/ are not /summary. */
export const ROUTER_OPTIONS = { caseSensitive: true, strict: true }
