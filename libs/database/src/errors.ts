/**
 * Serialization failure, deadlock, statement and lock timeouts (57014, 55P03: the next
 * attempt usually finds the lock free), server shutting down or starting, too many
 * connections, and the connection-exception class.
 */
const TRANSIENT_SQLSTATES = new Set(['40001', '40P01', '57014', '57P01', '57P02', '57P03', '53300', '55P03', '08000', '08003', '08006', '08001', '08004']);
const TRANSIENT_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH']);
/**
 * TypeORM releases a transaction's query runner as soon as its connection reports an
 * error (terminated by the server, cut by the network), so the statement after that
 * fails with one of these rather than with the connection error itself. The server has
 * rolled the transaction back by then: running it again is safe.
 */
const CONNECTION_LOST_ERRORS = new Set(['QueryRunnerAlreadyReleasedError', 'QueryRunnerProviderAlreadyReleasedError']);

/**
 * True for database failures that a retry can cure: lost or refused connections
 * (including a transaction whose connection was lost between two statements), a pool
 * that had no connection to give within its acquire timeout, serialization failures,
 * deadlocks, statement and lock timeouts, server shutdown.
 */
export function isTransientDbError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 4; depth += 1) {
    const e = current as { code?: string; name?: string; message?: string; driverError?: unknown; cause?: unknown };
    if (e.code && (TRANSIENT_SQLSTATES.has(e.code) || TRANSIENT_NODE_CODES.has(e.code))) return true;
    if (e.name && CONNECTION_LOST_ERRORS.has(e.name)) return true;
    if (
      typeof e.message === 'string' &&
      /Connection terminated|connection timeout|terminating connection|Client has encountered a connection error|Client was closed and is not queryable|timeout exceeded when trying to connect/i.test(
        e.message,
      )
    ) {
      return true;
    }
    current = e.driverError ?? e.cause;
  }
  return false;
}

/** True when the error is a unique-constraint violation, optionally on a named constraint. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 4; depth += 1) {
    const e = current as { code?: string; constraint?: string; driverError?: unknown };
    if (e.code === '23505') return constraint ? e.constraint === constraint : true;
    current = e.driverError;
  }
  return false;
}
