import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminTokenGuard, ApiAdminAuth, ApiError, ApiErrorResponse, Operator } from '@pt/platform';
import { ImportReportResponse, SkuStockResponse } from './dto/vault-responses.js';
import { ImportFormatError, parseCardKeyCsv, parseCardKeyJson, type CardKeyRow } from './card-key-file.parser.js';
import { ImportRejectedError, VaultService, type ImportReport } from './vault.service.js';

@Controller('v1/admin/card-keys')
@UseGuards(AdminTokenGuard)
@ApiTags('admin')
@ApiAdminAuth()
export class VaultAdminController {
  constructor(private readonly vault: VaultService) {}

  /**
   * Imports card keys: `application/json` as `{ "keys": [{ "sku", "secret", "expiresAt"? }] }`
   * or `text/csv` with a header line `sku,secret[,expiresAt]`. Answers counts and line
   * numbers only, never secrets. A bad row rejects the whole file.
   */
  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Import card keys, all or nothing',
    description:
      'JSON up to 10 MB, CSV up to 50 MB; the admin token is checked before the body is read. Answers counts and line numbers only, never secrets. A bad row rejects the whole file.',
    requestBody: {
      required: true,
      content: {
        'application/json': {
          schema: {
            type: 'object',
            required: ['keys'],
            properties: {
              keys: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['sku', 'secret'],
                  properties: {
                    sku: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,64}$' },
                    secret: { type: 'string' },
                    expiresAt: { type: 'string', format: 'date-time' },
                  },
                },
              },
            },
          },
        },
        'text/csv': { schema: { type: 'string', description: 'a header line naming sku, secret and optionally expiresAt, then one key per line' } },
      },
    },
  })
  @ApiOkResponse({ type: ImportReportResponse, description: 'imported' })
  @ApiErrorResponse(400, 'the file was rejected and nothing was imported; `fields` names the lines (IMPORT_REJECTED)')
  @ApiErrorResponse(413, 'the body is larger than the route accepts (PAYLOAD_TOO_LARGE)')
  async import(@Operator() operator: string, @Body() body: unknown, @Headers('content-type') contentType: string | undefined): Promise<ImportReport> {
    let rows: CardKeyRow[];
    try {
      if ((contentType ?? '').startsWith('text/csv')) {
        if (typeof body !== 'string') throw new ImportFormatError(1, 'the CSV body is empty');
        rows = parseCardKeyCsv(body);
      } else {
        rows = parseCardKeyJson(body);
      }
      return await this.vault.import(rows, { type: 'ADMIN', id: operator });
    } catch (error) {
      if (error instanceof ImportFormatError) {
        throw new ApiError(HttpStatus.BAD_REQUEST, 'IMPORT_REJECTED', `the import was rejected and nothing was imported: ${error.message}`, [
          { field: `line ${error.line}`, message: error.message },
        ]);
      }
      if (error instanceof ImportRejectedError) {
        throw new ApiError(HttpStatus.BAD_REQUEST, 'IMPORT_REJECTED', 'the import was rejected and nothing was imported', error.problems);
      }
      throw error;
    }
  }

  @Get('stock')
  @ApiOperation({ summary: 'Card keys available and allocated, per SKU' })
  @ApiOkResponse({ type: [SkuStockResponse], description: 'one entry per SKU' })
  stock() {
    return this.vault.stock();
  }
}
