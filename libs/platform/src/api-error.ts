import { HttpException, HttpStatus } from '@nestjs/common';
import type { FieldProblem } from '@pt/contracts';

/** Body of every error response: a stable code, a sentence, and the fields at fault if any. */
export interface ApiErrorBody {
  error: string;
  message: string;
  fields?: FieldProblem[];
  correlationId?: string;
}

/** An HTTP error with a machine-readable code. */
export class ApiError extends HttpException {
  /** Sent as Retry-After with the error (429, 503). */
  readonly retryAfterSeconds?: number;

  constructor(status: HttpStatus, code: string, message: string, fields?: FieldProblem[], options: { retryAfterSeconds?: number } = {}) {
    super({ error: code, message, ...(fields ? { fields } : {}) } satisfies ApiErrorBody, status);
    if (options.retryAfterSeconds !== undefined) this.retryAfterSeconds = options.retryAfterSeconds;
  }

  static validation(fields: FieldProblem[]): ApiError {
    const names = [...new Set(fields.map((f) => f.field))].join(', ');
    return new ApiError(HttpStatus.BAD_REQUEST, 'VALIDATION_FAILED', `invalid field(s): ${names}`, fields);
  }

  /** 429 with Retry-After, for a limit that a caller went over. */
  static rateLimited(retryAfterSeconds: number, message: string, code = 'RATE_LIMITED'): ApiError {
    return new ApiError(HttpStatus.TOO_MANY_REQUESTS, code, `${message}; try again in ${retryAfterSeconds} s`, undefined, { retryAfterSeconds });
  }

  static notFound(what: string): ApiError {
    return new ApiError(HttpStatus.NOT_FOUND, 'NOT_FOUND', `${what} not found`);
  }
}
