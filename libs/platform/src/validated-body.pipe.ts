import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { validateAs } from '@pt/contracts';
import { ApiError } from './api-error.js';

/**
 * Validates a request body (or query) against its DTO class and answers 400 naming
 * every field at fault. Primitive parameters pass through untouched.
 */
@Injectable()
export class ValidatedInputPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const cls = metadata.metatype;
    if (!cls || metadata.type === 'custom' || [String, Number, Boolean, Array, Object].includes(cls as never)) return value;
    const result = validateAs(cls as new () => object, value ?? {});
    if (!result.value) throw ApiError.validation(result.problems);
    return result.value;
  }
}
