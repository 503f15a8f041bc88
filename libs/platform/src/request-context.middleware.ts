import { CORRELATION_HEADER, withCorrelationId, type ServiceMetrics } from '@pt/observability';
import type { NextFunction, Request, Response } from 'express';

const CORRELATION_PATTERN = /^[A-Za-z0-9._:-]{1,100}$/;

/**
 * Gives every request a correlation id (the caller's, if well-formed), echoes it back,
 * and records request counts and durations by route.
 */
export function requestContextMiddleware(metrics: ServiceMetrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const incoming = req.header(CORRELATION_HEADER);
    const correlationId = incoming && CORRELATION_PATTERN.test(incoming) ? incoming : crypto.randomUUID();
    res.setHeader(CORRELATION_HEADER, correlationId);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
      metrics.httpDuration.observe({ method: req.method, route }, seconds);
    });
    withCorrelationId(correlationId, () => next());
  };
}

/**
 * Re-enters the request's correlation id (the one requestContextMiddleware put on the
 * response) for what follows a step that continued outside it, such as a body parser,
 * which resumes from the socket's events.
 */
export function keepCorrelation(res: Response, next: () => void): void {
  const correlationId = res.getHeader(CORRELATION_HEADER);
  if (typeof correlationId === 'string') withCorrelationId(correlationId, next);
  else next();
}
