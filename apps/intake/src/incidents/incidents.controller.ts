import { Body, Controller, Headers, HttpStatus, Post, Res } from '@nestjs/common';
import { ApiError } from '@pt/platform';
import type { Response } from 'express';
import { CreateIncidentDto } from './dto/create-incident.dto.js';
import { IncidentsService } from './incidents.service.js';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{8,128}$/;

@Controller('v1/incidents')
export class IncidentsController {
  constructor(private readonly incidents: IncidentsService) {}

  /** File a "paid but not credited" or "card key invalid" report. */
  @Post()
  async report(
    @Body() dto: CreateIncidentDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res() res: Response,
  ): Promise<void> {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new ApiError(HttpStatus.BAD_REQUEST, 'VALIDATION_FAILED', 'Idempotency-Key header must be 8 to 128 characters of letters, digits, _ . : -', [
        { field: 'Idempotency-Key', message: 'must be 8 to 128 characters of letters, digits, _ . : -' },
      ]);
    }
    const outcome = await this.incidents.report(dto, idempotencyKey);
    res.status(outcome.statusCode).location(`/v1/incidents/${String(outcome.body.id)}`).json(outcome.body);
  }
}
