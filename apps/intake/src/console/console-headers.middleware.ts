import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import { SERVICE_CONFIG } from '@pt/platform';
import type { NextFunction, Request, Response } from 'express';
import type { IntakeConfig } from '../config/intake.config.js';

/**
 * Headers of every console response. The console acts with an agent's session, so no
 * other site may frame it (clickjacking): `frame-ancestors 'none'`, and X-Frame-Options
 * for browsers that predate it. Scripts, styles and requests stay on intake, except the
 * evidence the page reads from reconciliation (CORS).
 */
@Injectable()
export class ConsoleHeadersMiddleware implements NestMiddleware {
  private readonly policy: string;

  constructor(@Inject(SERVICE_CONFIG) config: IntakeConfig) {
    this.policy = [
      "default-src 'self'",
      `connect-src 'self' ${config.CONSOLE_RECONCILIATION_URL}`,
      "style-src 'self'",
      "script-src 'self'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "form-action 'self'",
    ].join('; ');
  }

  use(_req: Request, res: Response, next: NextFunction): void {
    res.setHeader('content-security-policy', this.policy);
    res.setHeader('x-frame-options', 'DENY');
    res.setHeader('x-content-type-options', 'nosniff');
    next();
  }
}
