import { IsISO8601, IsNotEmpty, IsString, IsUUID, MaxLength } from 'class-validator';

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
