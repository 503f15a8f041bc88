import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import { AdminTokenGuard, ApiError, Operator } from '@pt/platform';
import { ImportFormatError, parseCardKeyCsv, parseCardKeyJson, type CardKeyRow } from './card-key-file.parser.js';
import { ImportRejectedError, VaultService, type ImportReport } from './vault.service.js';

@Controller('v1/admin/card-keys')
@UseGuards(AdminTokenGuard)
export class VaultAdminController {
  constructor(private readonly vault: VaultService) {}

  /**
   * Imports card keys: `application/json` as `{ "keys": [{ "sku", "secret", "expiresAt"? }] }`
   * or `text/csv` with a header line `sku,secret[,expiresAt]`. Answers counts and line
   * numbers only, never secrets. A bad row rejects the whole file.
   */
  @Post()
  @HttpCode(200)
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
  stock() {
    return this.vault.stock();
  }
}
