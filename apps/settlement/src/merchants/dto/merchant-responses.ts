import { ApiProperty, ApiSchema } from '@nestjs/swagger';

// The shapes of the admin API's answers, for the OpenAPI document (see MerchantView, ApiKeyView, CreatedApiKey).

const TIMESTAMP = { type: String, format: 'date-time', description: 'UTC, ISO 8601' } as const;

@ApiSchema({ name: 'Merchant' })
export class MerchantResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty(TIMESTAMP)
  createdAt!: string;
}

@ApiSchema({ name: 'CreatedMerchant' })
export class CreatedMerchantResponse extends MerchantResponse {
  @ApiProperty({ description: 'false when the merchant already existed with this id and name' })
  created!: boolean;
}

@ApiSchema({ name: 'MerchantWithKeys' })
export class MerchantWithKeysResponse extends MerchantResponse {
  @ApiProperty({ type: 'integer', minimum: 0 })
  activeKeys!: number;
}

@ApiSchema({ name: 'MerchantList' })
export class MerchantListResponse {
  @ApiProperty({ type: [MerchantWithKeysResponse] })
  data!: MerchantWithKeysResponse[];
}

@ApiSchema({ name: 'ApiKey' })
export class ApiKeyResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  merchantId!: string;

  @ApiProperty({ description: 'the first characters of the key, to tell keys apart', example: 'pt_live_Ab3x' })
  prefix!: string;

  @ApiProperty({ type: String, nullable: true })
  label!: string | null;

  @ApiProperty({ enum: ['ACTIVE', 'REVOKED'] })
  status!: string;

  @ApiProperty(TIMESTAMP)
  createdAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  revokedAt!: string | null;
}

@ApiSchema({ name: 'CreatedApiKey' })
export class CreatedApiKeyResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  merchantId!: string;

  @ApiProperty({ example: 'pt_live_Ab3x' })
  prefix!: string;

  @ApiProperty({ type: String, nullable: true })
  label!: string | null;

  @ApiProperty({ enum: ['ACTIVE'] })
  status!: string;

  @ApiProperty(TIMESTAMP)
  createdAt!: string;

  @ApiProperty({ type: 'null' })
  revokedAt!: null;

  @ApiProperty({ pattern: '^pt_live_[A-Za-z0-9_-]{43}$', description: 'the secret: shown here once, stored only as a hash' })
  key!: string;

  @ApiProperty()
  notice!: string;
}

@ApiSchema({ name: 'ApiKeyList' })
export class ApiKeyListResponse {
  @ApiProperty({ type: [ApiKeyResponse] })
  data!: ApiKeyResponse[];
}

@ApiSchema({ name: 'RotatedApiKey' })
export class RotatedApiKeyResponse {
  @ApiProperty({ type: CreatedApiKeyResponse })
  apiKey!: CreatedApiKeyResponse;

  @ApiProperty({ type: ApiKeyResponse })
  revoked!: ApiKeyResponse;
}
