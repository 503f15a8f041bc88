import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SERVICE_CONFIG } from '@pt/platform';
import type { Response } from 'express';
import fs from 'node:fs';
import type { IntakeConfig } from '../config/intake.config.js';

const ASSETS = new URL('./assets/', import.meta.url);
const read = (name: string) => fs.readFileSync(new URL(name, ASSETS), 'utf8');

/** Serves the agent console: one page, its script and its style (a browser app, not part of the OpenAPI document). */
@Controller('console')
@ApiExcludeController()
export class ConsoleController {
  private readonly files = { html: read('index.html'), js: read('app.js'), css: read('app.css') };

  constructor(@Inject(SERVICE_CONFIG) private readonly config: IntakeConfig) {}

  /** The page; its security headers (CSP, no framing) come from ConsoleHeadersMiddleware. */
  @Get()
  page(@Res() res: Response): void {
    res.status(200).setHeader('content-type', 'text/html; charset=utf-8').send(this.files.html);
  }

  @Get('app.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  script(): string {
    return this.files.js;
  }

  @Get('app.css')
  @Header('content-type', 'text/css; charset=utf-8')
  style(): string {
    return this.files.css;
  }

  /** Where the console finds reconciliation's evidence. */
  @Get('config.json')
  settings(): { reconciliationUrl: string } {
    return { reconciliationUrl: this.config.CONSOLE_RECONCILIATION_URL };
  }
}
