import { IsISO8601, IsInt, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength, Min } from 'class-validator';

export const CARDKEY_REISSUED_TYPE = 'cardkey.reissued';

/** A card key was allocated to an order by triage. Carries a masked hint only. */
export class CardKeyReissuedV1 {
  @IsUUID()
  issuanceId!: string;

  @IsUUID()
  incidentId!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  orderNumber!: string;

  /** The order line (1..quantity) the key was issued for; absent from events published before lines. */
  @IsOptional()
  @IsInt()
  @Min(1)
  lineNo?: number;

  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  sku!: string;

  @IsUUID()
  cardKeyId!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(32)
  maskedHint!: string;

  @IsISO8601({ strict: true })
  issuedAt!: string;
}
