/**
 * What the sweeper does with a re-check that failed: pause it on an exponential back-off,
 * and keep a short summary of the error that is safe to show an agent.
 */

/** Pause after the `failures`-th failure in a row (1 = the first): base, 2×base, 4×base… never above max. */
export function recheckRetryDelayMs(failures: number, baseMs: number, maxMs: number): number {
  const exponent = Math.max(0, Math.min(failures - 1, 30));
  return Math.min(baseMs * 2 ** exponent, maxMs);
}

const MAX_SUMMARY = 160;

/**
 * One line naming what went wrong, for the incident's explanation: the error's class, its
 * PostgreSQL code when there is one, and its message with anything that looks like a
 * credential, a connection string's password or a long token replaced by [redacted].
 */
export function summarizeRecheckError(error: unknown): string {
  const name = error instanceof Error ? error.name : typeof error;
  const code = typeof (error as { code?: unknown } | null)?.code === 'string' ? (error as { code: string }).code : null;
  const raw = error instanceof Error ? error.message : typeof error === 'string' ? error : 'unknown error';
  const message = raw
    .replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s:/@]+:[^\s@]+@/gi, '$1[redacted]@')
    .replace(/\b(password|passwd|pwd|secret|token|api[_-]?key|key|authorization|bearer)(\s*[=:]\s*|\s+)("[^"]*"|'[^']*'|\S+)/gi, '$1$2[redacted]')
    .replace(/[A-Za-z0-9+/_-]{24,}={0,2}/g, '[redacted]')
    .replace(/\s+/g, ' ')
    .trim();
  const summary = `${name}${code ? ` ${code}` : ''}: ${message || 'no message'}`;
  return summary.length > MAX_SUMMARY ? `${summary.slice(0, MAX_SUMMARY - 1)}…` : summary;
}
