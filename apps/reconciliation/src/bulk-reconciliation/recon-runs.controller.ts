import { Controller, Get, applyDecorators, HttpException, HttpStatus, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { validateAs } from '@pt/contracts';
import { currentCorrelationId } from '@pt/observability';
import { appendAdminAudit } from '@pt/database';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiInternalServerErrorResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiQuery,
  ApiTags,
  ApiUnprocessableEntityResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { AdminTokenGuard, ApiAdminAuth, ApiError, ApiErrorResponse, ApiNotFound, ApiValidationFailed, csvRow, operatorOf, uuidParam } from '@pt/platform';
import {
  DiscrepancyPageResponse,
  RunInProgressResponse,
  RunListResponse,
  RunOutcomeResponse,
  RunRejectedRowsResponse,
  RunResponse,
  StatementFormatsResponse,
} from './dto/recon-responses.js';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { BulkReconciliationService, RunInProgressError, RunRequestError, type RunRequest } from './bulk-reconciliation.service.js';
import { CsvExportQueryDto, DiscrepanciesQueryDto, MirrorRunDto, PageQueryDto, RunsQueryDto, StatementRunQueryDto, isTrue } from './dto/recon-run.dto.js';
import { ReconRunRepository } from './recon-run.repository.js';
import { ReconRunner } from './recon-runner.js';
import type { DiscrepancyView, RunView } from './recon-run.view.js';

/** Where statements are uploaded; their bodies are streamed to the run (see reconciliation.module.ts). */
export const STATEMENT_UPLOAD_PATH = '/v1/reconciliation/runs';

function isStatementUpload(req: Request): boolean {
  return String(req.headers['content-type'] ?? '')
    .toLowerCase()
    .startsWith('text/csv');
}

const EXPORT_COLUMNS = [
  'seq',
  'category',
  'finding',
  'payment_reference',
  'order_number',
  'line',
  'statement_status',
  'statement_amount_minor',
  'statement_currency',
  'statement_at',
  'ledger_amount_minor',
  'ledger_currency',
  'ledger_paid_at',
  'account_id',
  'order_status',
  'order_delivered',
  'action',
  'incident_id',
];

function exportLine(d: DiscrepancyView): string {
  return csvRow([
    d.seq,
    d.category,
    d.finding,
    d.paymentReference,
    d.orderNumber,
    d.line,
    d.statement?.status,
    d.statement?.amountMinor,
    d.statement?.currency,
    d.statement?.at,
    d.ledger?.amountMinor,
    d.ledger?.currency,
    d.ledger?.paidAt,
    d.order?.accountId,
    d.order?.status,
    d.order?.delivered,
    d.action,
    d.incidentId,
  ]);
}

/** The run's id, and what a route about one run may answer besides its own. */
const RunIdParam = () =>
  applyDecorators(ApiParam({ name: 'id', schema: { type: 'string', format: 'uuid' } }), ApiValidationFailed(), ApiNotFound('no run of that id'));

/**
 * Bulk reconciliation runs (admin token): start one over an uploaded statement or over
 * the clearing mirror, follow it, read its summary and discrepancies, export them.
 */
@Controller('v1/reconciliation')
@UseGuards(AdminTokenGuard)
@ApiTags('reconciliation')
@ApiAdminAuth()
export class ReconRunsController {
  constructor(
    private readonly service: BulkReconciliationService,
    private readonly runner: ReconRunner,
    private readonly runs: ReconRunRepository,
    private readonly dataSource: DataSource,
  ) {}

  /** Every run an operator starts is in the admin trail, under the credential's name. */
  private async audit(operator: string, runId: string, details: Record<string, unknown>): Promise<void> {
    await appendAdminAudit(this.dataSource, 'reconciliation', {
      operator,
      action: 'START_RECON_RUN',
      subject: `recon-run:${runId}`,
      details,
      correlationId: currentCorrelationId(),
    });
  }

  /**
   * `text/csv` body with `?channel=&date=[&dryRun=true][&runId=]`: reconciles the uploaded
   * statement, streaming it, and answers when the run is over: 201 with the run, 422 when
   * the file was refused, 500 when the run failed. `application/json` body
   * `{ channel, from, to?, dryRun?, runId? }`: starts a run over the clearing mirror and
   * answers 202 at once. 409 names the run already in progress.
   */
  @Post('runs')
  @ApiOperation({
    summary: 'Start a run: over an uploaded statement (text/csv), or over the clearing mirror (JSON)',
    description:
      'A `text/csv` body (up to 2 GB, streamed; the admin token is checked before it is read) with `?channel=&date=[&dryRun=true][&runId=]` reconciles that statement and answers when the run is over: 201 with the run, 422 when the file was refused, 500 when the run failed. An `application/json` body starts a run over what clearing.events.v1 delivered and answers 202 at once; follow it at the Location. 409 names the run already in progress for the channel.',
    requestBody: {
      required: true,
      content: {
        'application/json': { schema: { $ref: getSchemaPath(MirrorRunDto) } },
        'text/csv': { schema: { type: 'string', description: "the channel's statement file, in its configured format (GET /v1/reconciliation/formats)" } },
      },
    },
  })
  @ApiExtraModels(MirrorRunDto)
  @ApiQuery({
    name: 'runId',
    required: false,
    schema: { type: 'string', format: 'uuid' },
    description: 'text/csv only: lets the uploader follow the run while the upload is still going',
  })
  @ApiQuery({
    name: 'dryRun',
    required: false,
    schema: { type: 'string', enum: ['true', 'false', '1', '0'] },
    description: 'text/csv only: find and report, change nothing',
  })
  @ApiQuery({ name: 'date', required: false, schema: { type: 'string', format: 'date' }, description: 'text/csv only, and then required: the statement day' })
  @ApiQuery({
    name: 'channel',
    required: false,
    schema: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,32}$' },
    description: 'text/csv only, and then required: the channel whose statement this is',
  })
  @ApiCreatedResponse({
    type: RunResponse,
    description: 'text/csv: the run, finished',
    headers: { Location: { description: 'the run', schema: { type: 'string' } } },
  })
  @ApiAcceptedResponse({
    type: RunResponse,
    description: 'application/json: the run, started',
    headers: { Location: { description: 'the run', schema: { type: 'string' } } },
  })
  @ApiValidationFailed()
  @ApiConflictResponse({ type: RunInProgressResponse, description: 'a run of this channel is already in progress (RUN_IN_PROGRESS)' })
  @ApiErrorResponse(413, 'the statement is larger than 2 GB (PAYLOAD_TOO_LARGE)')
  @ApiErrorResponse(415, 'neither text/csv nor application/json (UNSUPPORTED_MEDIA_TYPE)')
  @ApiUnprocessableEntityResponse({ type: RunOutcomeResponse, description: 'text/csv: the statement was refused (STATEMENT_REFUSED)' })
  @ApiInternalServerErrorResponse({ type: RunOutcomeResponse, description: 'text/csv: the run failed (RUN_FAILED)' })
  async start(@Req() req: Request, @Res() res: Response, @Query() query: Record<string, string>): Promise<void> {
    const correlationId = currentCorrelationId() ?? crypto.randomUUID();
    const operator = operatorOf(req);
    try {
      if (isStatementUpload(req)) {
        const checked = validateAs(StatementRunQueryDto, query);
        if (!checked.value) throw ApiError.validation(checked.problems);
        const request: RunRequest = {
          channel: checked.value.channel,
          periodStart: checked.value.date,
          periodEnd: checked.value.date,
          dryRun: isTrue(checked.value.dryRun),
          ...(checked.value.runId ? { runId: checked.value.runId } : {}),
          requestedBy: 'HTTP',
          correlationId,
        };
        const run = await this.service.runStatement(request, req);
        await this.audit(operator, run.id, {
          source: 'STATEMENT',
          channel: request.channel,
          date: request.periodStart,
          dryRun: request.dryRun,
          status: run.status,
        });
        this.answerFinished(res, run);
        return;
      }
      if (
        !String(req.headers['content-type'] ?? '')
          .toLowerCase()
          .startsWith('application/json')
      ) {
        throw new ApiError(
          HttpStatus.UNSUPPORTED_MEDIA_TYPE,
          'UNSUPPORTED_MEDIA_TYPE',
          'send a statement as text/csv, or a run over the clearing mirror as application/json',
        );
      }
      const checked = validateAs(MirrorRunDto, req.body ?? {});
      if (!checked.value) throw ApiError.validation(checked.problems);
      const body = checked.value;
      const runId = await this.runner.startMirrorRun({
        channel: body.channel,
        periodStart: body.from,
        periodEnd: body.to ?? body.from,
        dryRun: body.dryRun ?? false,
        ...(body.runId ? { runId: body.runId } : {}),
        requestedBy: 'HTTP',
        correlationId,
      });
      await this.audit(operator, runId, { source: 'MIRROR', channel: body.channel, from: body.from, to: body.to ?? body.from, dryRun: body.dryRun ?? false });
      const run = await this.runs.findRun(runId);
      res.status(HttpStatus.ACCEPTED).location(`/v1/reconciliation/runs/${runId}`).json(run);
    } catch (error) {
      if (error instanceof RunInProgressError) {
        req.resume();
        throw new HttpException({ error: 'RUN_IN_PROGRESS', message: error.message, runId: error.runId }, HttpStatus.CONFLICT);
      }
      if (error instanceof RunRequestError) {
        req.resume();
        throw new ApiError(HttpStatus.BAD_REQUEST, 'VALIDATION_FAILED', error.message, [{ field: error.field, message: error.message }]);
      }
      req.resume();
      throw error;
    }
  }

  private answerFinished(res: Response, run: RunView): void {
    res.location(`/v1/reconciliation/runs/${run.id}`);
    if (run.status === 'SUCCEEDED') {
      res.status(HttpStatus.CREATED).json(run);
    } else if (run.status === 'REFUSED') {
      res.status(HttpStatus.UNPROCESSABLE_ENTITY).json({ error: 'STATEMENT_REFUSED', message: run.error, run });
    } else {
      res.status(HttpStatus.INTERNAL_SERVER_ERROR).json({ error: 'RUN_FAILED', message: run.error, run });
    }
  }

  @Get('runs')
  @ApiOperation({ summary: 'Runs, newest first' })
  @ApiOkResponse({ type: RunListResponse, description: 'the runs' })
  @ApiValidationFailed()
  async list(@Query() query: RunsQueryDto): Promise<{ runs: RunView[] }> {
    return { runs: await this.runs.listRuns({ channel: query.channel, status: query.status, limit: query.limit ?? 50 }) };
  }

  /** A run: its status and phase, progress counters, rejected rows (the first 20), and its summary once done. */
  @Get('runs/:id')
  @ApiOperation({ summary: 'A run: its status and phase, progress counters, the first rejected rows, and its summary once done' })
  @RunIdParam()
  @ApiOkResponse({ type: RunResponse, description: 'the run' })
  async get(@Param('id', uuidParam('id')) id: string): Promise<RunView> {
    const run = await this.runs.findRun(id);
    if (!run) throw ApiError.notFound(`run ${id}`);
    return run;
  }

  @Get('runs/:id/rejections')
  @ApiOperation({ summary: 'The rows of the statement the run rejected, by line; page with after' })
  @RunIdParam()
  @ApiOkResponse({ type: RunRejectedRowsResponse, description: 'a page of rejected rows' })
  async rejections(@Param('id', uuidParam('id')) id: string, @Query() query: PageQueryDto) {
    await this.get(id);
    const limit = query.limit ?? 100;
    const rows = await this.runs.rejectedRows(id, limit, query.after ?? 0);
    return { runId: id, rejections: rows, nextAfter: rows.length === limit ? rows[rows.length - 1].line : null };
  }

  /** Discrepancies of a run, oldest `seq` first, optionally of one category; page with `after`. */
  @Get('runs/:id/discrepancies')
  @ApiOperation({ summary: 'Discrepancies of a run, oldest seq first, optionally of one category; page with after' })
  @RunIdParam()
  @ApiOkResponse({ type: DiscrepancyPageResponse, description: 'a page of discrepancies' })
  async discrepancies(@Param('id', uuidParam('id')) id: string, @Query() query: DiscrepanciesQueryDto) {
    await this.get(id);
    const limit = query.limit ?? 100;
    const rows = await this.runs.discrepancies(id, { category: query.category, limit, after: query.after ?? 0 });
    return { runId: id, category: query.category ?? null, discrepancies: rows, nextAfter: rows.length === limit ? rows[rows.length - 1].seq : null };
  }

  /** Every discrepancy of a run (optionally of one category) as CSV, streamed page by page. */
  @Get('runs/:id/discrepancies.csv')
  @ApiOperation({ summary: 'Every discrepancy of a run (optionally of one category) as CSV, streamed', description: `Columns: ${EXPORT_COLUMNS.join(', ')}.` })
  @RunIdParam()
  @ApiProduces('text/csv')
  @ApiOkResponse({ description: 'CSV, one header line then one line per discrepancy', schema: { type: 'string' } })
  async exportCsv(@Param('id', uuidParam('id')) id: string, @Query() query: CsvExportQueryDto, @Res() res: Response): Promise<void> {
    await this.get(id);
    res
      .status(200)
      .type('text/csv; charset=utf-8')
      .attachment(`discrepancies-${id}${query.category ? `-${query.category.toLowerCase()}` : ''}.csv`);
    res.write(csvRow(EXPORT_COLUMNS));
    let after = 0;
    for (;;) {
      const page = await this.runs.discrepancies(id, { category: query.category, limit: 5000, after });
      if (page.length === 0) break;
      if (!res.write(page.map(exportLine).join(''))) await new Promise((resolve) => res.once('drain', resolve));
      after = page[page.length - 1].seq;
    }
    res.end();
  }

  @Get('formats')
  @ApiOperation({ summary: 'The configured statement formats, one per channel' })
  @ApiOkResponse({ type: StatementFormatsResponse, description: 'the formats' })
  formats() {
    return { formats: this.service.formats() };
  }
}
