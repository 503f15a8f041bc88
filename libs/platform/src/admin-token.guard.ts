import { HttpStatus, Inject, Injectable, createParamDecorator, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { ApiError } from './api-error.js';
import { SERVICE_CONFIG } from './tokens.js';

/** A named operator credential of ADMIN_TOKENS. */
export interface AdminCredential {
  name: string;
  token: string;
}

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

type OperatorRequest = Request & { operator?: string };

/**
 * The operator whose credential an Authorization header carries (`Bearer <token>`), or
 * null. Every credential is compared, digest against digest, so the time taken says
 * nothing about which one (or how much of one) matched.
 */
export function adminOperatorOf(authorization: string | undefined, credentials: readonly AdminCredential[]): string | null {
  const header = authorization ?? '';
  if (!header.startsWith('Bearer ')) return null;
  const given = digest(header.slice(7).trim());
  let found: string | null = null;
  for (const credential of credentials) {
    if (timingSafeEqual(given, digest(credential.token)) && found === null) found = credential.name;
  }
  return found;
}

/** The answer to a request that needs an admin credential and does not carry one. */
export function adminTokenRequired(): ApiError {
  return new ApiError(HttpStatus.UNAUTHORIZED, 'UNAUTHORIZED', 'a valid admin bearer token is required');
}

/**
 * Admin endpoints need `Authorization: Bearer <token>` of one of the named credentials
 * in ADMIN_TOKENS. The name is attached to the request, so every admin action is
 * audited under the operator who did it.
 */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  private readonly credentials: AdminCredential[];

  constructor(@Inject(SERVICE_CONFIG) config: { adminCredentials(): AdminCredential[] }) {
    this.credentials = config.adminCredentials();
  }

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const req = http.getRequest<OperatorRequest>();
    const operator = adminOperatorOf(req.header('authorization'), this.credentials);
    if (!operator) {
      http.getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer realm="admin"');
      throw adminTokenRequired();
    }
    req.operator = operator;
    return true;
  }
}

/** The name of the admin credential that authorised this request (after AdminTokenGuard). */
export function operatorOf(req: Request): string {
  const operator = (req as OperatorRequest).operator;
  if (!operator) throw new Error('operatorOf needs a route behind AdminTokenGuard');
  return operator;
}

/** Route parameter: the operator behind the admin credential used. */
export const Operator = createParamDecorator((_: unknown, context: ExecutionContext) => operatorOf(context.switchToHttp().getRequest<Request>()));
