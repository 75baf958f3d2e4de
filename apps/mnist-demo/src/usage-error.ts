/**
 * A mistake in what the user asked for (a bad flag, an impossible configuration, an unwritable folder).
 * The entry point prints its message on one line and exits with code 1; any other error is a bug and
 * keeps its stack trace.
 */
export class UsageError extends Error {
  override name = 'UsageError';
}
