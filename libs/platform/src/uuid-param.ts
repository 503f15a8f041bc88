import { ParseUUIDPipe } from '@nestjs/common';
import { ApiError } from './api-error.js';

/** A route parameter that must be a UUID: 400 naming the parameter otherwise. */
export function uuidParam(name: string): ParseUUIDPipe {
  return new ParseUUIDPipe({ exceptionFactory: () => ApiError.validation([{ field: name, message: `${name} must be a UUID` }]) });
}
