import { Catch, HttpException, HttpStatus, type ArgumentsHost, type ExceptionFilter, type LoggerService } from '@nestjs/common';
import { isTransientDbError } from '@pt/database';
import { currentCorrelationId } from '@pt/observability';
import type { Response } from 'express';
import { ApiError, type ApiErrorBody } from './api-error.js';

/**
 * Turns every HTTP error into an `ApiErrorBody`. A database that is briefly unreachable
 * (a lost connection, a failover) is a 503 with Retry-After: the request may be sent
 * again (with the same Idempotency-Key, in case the loss came after the commit). Other unexpected errors are logged with their stack and
 * answered with a generic 500 that carries the correlation id only.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  constructor(private readonly logger: LoggerService) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const response = host.switchToHttp().getResponse<Response>();
    const correlationId = currentCorrelationId();
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const raw = exception.getResponse();
      let body: ApiErrorBody;
      if (typeof raw === 'object' && raw && 'error' in raw && 'message' in raw && typeof (raw as ApiErrorBody).message === 'string') {
        body = raw as ApiErrorBody;
      } else {
        body = { error: HttpStatus[status] ?? 'ERROR', message: exception.message };
      }
      if (status === (HttpStatus.BAD_REQUEST as number) && /JSON/i.test(body.message) && !body.fields) {
        body = { error: 'MALFORMED_JSON', message: 'request body is not valid JSON' };
      }
      if (exception instanceof ApiError && exception.retryAfterSeconds !== undefined) response.setHeader('Retry-After', String(exception.retryAfterSeconds));
      response.status(status).json({ ...body, correlationId });
      return;
    }
    if (isTransientDbError(exception)) {
      this.logger.warn(
        {
          msg: 'database briefly unavailable; answered 503',
          err: exception instanceof Error ? { name: exception.name, message: exception.message } : String(exception),
        },
        'HttpExceptionFilter',
      );
      response
        .status(503)
        .setHeader('Retry-After', '1')
        .json({
          error: 'TEMPORARILY_UNAVAILABLE',
          message: 'the service lost its database connection; send the request again, with the same Idempotency-Key if it had one',
          correlationId,
        } satisfies ApiErrorBody);
      return;
    }
    this.logger.error(
      {
        msg: 'unhandled error',
        err: exception instanceof Error ? { name: exception.name, message: exception.message, stack: exception.stack } : String(exception),
      },
      'HttpExceptionFilter',
    );
    response
      .status(500)
      .json({ error: 'INTERNAL_ERROR', message: 'internal error; quote the correlation id to support', correlationId } satisfies ApiErrorBody);
  }
}
