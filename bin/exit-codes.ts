/** Exit codes shared by every subcommand, so scripts can tell usage errors from failures. */
export const EXIT_OK = 0
export const EXIT_FAILURE = 1
/** Bad usage, unknown command, unreadable input: the caller must change something. */
export const EXIT_USAGE = 2

/**
 * Why `inspect` and `import` refuse an archive, the same code from both (src/import/refusal.ts
 * decides), printed as `CODE: message` on stderr and as `{"error":{"code","message"}}` with
 * --json; each exits EXIT_USAGE. Anything else (UNKNOWN_ERROR: a fault of the program, not of
 * the archive) exits EXIT_FAILURE, with its code too.
 * - NO_ARCHIVE: no file at the path, or the file or URL cannot be read (bad --header included);
 * - NOT_AN_ENT_EXPORT: a readable zip, but no `<date>_<user id>` folder, Manifest or application folder;
 * - ARCHIVE_CORRUPT: empty, not a zip, truncated, or an inconsistent zip structure;
 * - ARCHIVE_UNSUPPORTED: encrypted entries, split archives, unknown compression methods;
 * - ARCHIVE_TOO_LARGE: a limit that protects memory (the central directory, a JSON key);
 * - EMPTY_SELECTION: nothing to import: no application left data in the archive (the
 *   Manifest's apps have no folder), or none of those given to `import --only` is there.
 */
export const REFUSAL_CODES = ['NO_ARCHIVE', 'NOT_AN_ENT_EXPORT', 'ARCHIVE_CORRUPT', 'ARCHIVE_UNSUPPORTED', 'ARCHIVE_TOO_LARGE', 'EMPTY_SELECTION'] as const

/** The exit code of an error code: EXIT_USAGE for a refused archive, EXIT_FAILURE otherwise. */
export function exitCodeOf(code: string): number {
  return (REFUSAL_CODES as readonly string[]).includes(code) ? EXIT_USAGE : EXIT_FAILURE
}
