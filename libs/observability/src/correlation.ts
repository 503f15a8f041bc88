import { AsyncLocalStorage } from 'node:async_hooks';

interface CorrelationScope {
  correlationId: string;
}

const storage = new AsyncLocalStorage<CorrelationScope>();

/** Runs `fn` with a correlation id visible to every log line written inside it. */
export function withCorrelationId<T>(correlationId: string, fn: () => T): T {
  return storage.run({ correlationId }, fn);
}

/** The correlation id of the current request or message, if any. */
export function currentCorrelationId(): string | undefined {
  return storage.getStore()?.correlationId;
}

/** Header that carries the correlation id over HTTP and Kafka. */
export const CORRELATION_HEADER = 'x-correlation-id';
