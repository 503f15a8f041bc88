import { HttpStatus, Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ApiError, SERVICE_CONFIG } from '@pt/platform';
import type { Request } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { SettlementConfig } from '../config/settlement.config.js';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Admin endpoints need `Authorization: Bearer <ADMIN_TOKEN>`. */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(@Inject(SERVICE_CONFIG) config: SettlementConfig) {
    this.expected = digest(config.ADMIN_TOKEN);
  }

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<Request>().header('authorization') ?? '';
    // Comparing digests keeps the comparison constant-time whatever the length given.
    const given = digest(header.startsWith('Bearer ') ? header.slice(7) : '');
    if (!header.startsWith('Bearer ') || !timingSafeEqual(given, this.expected)) {
      throw new ApiError(HttpStatus.UNAUTHORIZED, 'UNAUTHORIZED', 'a valid admin bearer token is required');
    }
    return true;
  }
}
