/** Exit codes shared by every subcommand, so scripts can tell usage errors from failures. */
export const EXIT_OK = 0
export const EXIT_FAILURE = 1
/** Bad usage, unknown command, unreadable input: the caller must change something. */
export const EXIT_USAGE = 2
