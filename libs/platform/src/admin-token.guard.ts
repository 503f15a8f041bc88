import { HttpStatus, Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { ApiError } from './api-error.js';
import { SERVICE_CONFIG } from './tokens.js';

/** True when an Authorization header carries `Bearer <expected>` (compared in constant time). */
export function holdsAdminToken(authorization: string | undefined, expected: string): boolean {
  const header = authorization ?? '';
  const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
  const wanted = Buffer.from(expected);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/** The answer to a request that needs the admin token and does not carry it. */
export function adminTokenRequired(): ApiError {
  return new ApiError(HttpStatus.UNAUTHORIZED, 'UNAUTHORIZED', 'a valid admin bearer token is required');
}

/** Admin endpoints need `Authorization: Bearer <ADMIN_TOKEN>` of the service's configuration. */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  constructor(@Inject(SERVICE_CONFIG) private readonly config: { ADMIN_TOKEN: string }) {}

  canActivate(context: ExecutionContext): boolean {
    if (!holdsAdminToken(context.switchToHttp().getRequest<Request>().header('authorization'), this.config.ADMIN_TOKEN)) throw adminTokenRequired();
    return true;
  }
}
