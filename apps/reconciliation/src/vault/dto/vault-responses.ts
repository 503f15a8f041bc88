import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { API_NULLABLE_TIMESTAMP as NULLABLE_TIMESTAMP } from '@pt/platform';

// The shapes of the vault's answers for the OpenAPI document (see RevealedCardKey and ImportReport).

@ApiSchema({ name: 'RevealedCardKey' })
class RevealedCardKeyResponse {
  @ApiProperty({ format: 'uuid' })
  cardKeyId!: string;

  @ApiProperty({
    type: 'integer',
    minimum: 1,
    nullable: true,
    description: 'the order line (1..quantity) the key fills; an order of N units has N lines, each owed one card key',
  })
  lineNo!: number | null;

  @ApiProperty()
  sku!: string;

  @ApiProperty({ description: 'the card key itself' })
  secret!: string;

  @ApiProperty()
  status!: string;

  @ApiProperty(NULLABLE_TIMESTAMP)
  issuedAt!: string | null;
}

@ApiSchema({ name: 'CardKeyReveal' })
export class CardKeyRevealResponse {
  @ApiProperty()
  orderNumber!: string;

  @ApiProperty({ type: [RevealedCardKeyResponse] })
  cardKeys!: RevealedCardKeyResponse[];
}

@ApiSchema({ name: 'DuplicateInFile' })
class DuplicateInFileResponse {
  @ApiProperty({ type: 'integer' })
  line!: number;

  @ApiProperty()
  sku!: string;

  @ApiProperty({ type: 'integer' })
  firstSeenOnLine!: number;
}

@ApiSchema({ name: 'DuplicateInStock' })
class DuplicateInStockResponse {
  @ApiProperty({ type: 'integer' })
  line!: number;

  @ApiProperty()
  sku!: string;
}

@ApiSchema({ name: 'ImportReport', description: 'Counts and line numbers only, never secrets.' })
export class ImportReportResponse {
  @ApiProperty({ type: 'integer', minimum: 0 })
  imported!: number;

  @ApiProperty({ type: [DuplicateInFileResponse] })
  duplicatesInFile!: DuplicateInFileResponse[];

  @ApiProperty({ type: [DuplicateInStockResponse] })
  duplicatesInStock!: DuplicateInStockResponse[];
}

@ApiSchema({ name: 'SkuStock' })
export class SkuStockResponse {
  @ApiProperty()
  sku!: string;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'available and not expired' })
  available!: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  allocated!: number;
}
