import { Controller, Get, Header } from '@nestjs/common';
import { SETTLEMENT_OPENAPI } from './openapi.document.js';

/** The API description, kept in step with docs/openapi/settlement.json by a test. */
@Controller()
export class OpenApiController {
  @Get('openapi.json')
  @Header('Cache-Control', 'no-cache')
  document(): typeof SETTLEMENT_OPENAPI {
    return SETTLEMENT_OPENAPI;
  }
}
