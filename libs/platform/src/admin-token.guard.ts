import { HttpStatus, Inject, Injectable, createParamDecorator, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { ApiError } from './api-error.js';
import { SERVICE_CONFIG } from './tokens.js';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

type OperatorRequest = Request & { operator?: string };

/**
 * Admin endpoints need `Authorization: Bearer <token>` of one of the named credentials
 * in ADMIN_TOKENS. The name is attached to the request, so every admin action is
 * audited under the operator who did it. Every credential is compared, digest against
 * digest, so the time taken says nothing about which one (or how much of one) matched.
 */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  private readonly credentials: { name: string; digest: Buffer }[];

  constructor(@Inject(SERVICE_CONFIG) config: { adminCredentials(): { name: string; token: string }[] }) {
    this.credentials = config.adminCredentials().map((c) => ({ name: c.name, digest: digest(c.token) }));
  }

  /** The operator a presented token belongs to, or null. */
  operatorOf(token: string): string | null {
    const given = digest(token);
    let found: string | null = null;
    for (const credential of this.credentials) {
      if (timingSafeEqual(given, credential.digest) && found === null) found = credential.name;
    }
    return found;
  }

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const req = http.getRequest<OperatorRequest>();
    const header = req.header('authorization') ?? '';
    const operator = header.startsWith('Bearer ') ? this.operatorOf(header.slice(7).trim()) : null;
    if (!operator) {
      http.getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer realm="admin"');
      throw new ApiError(HttpStatus.UNAUTHORIZED, 'UNAUTHORIZED', 'a valid admin bearer token is required');
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
