import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

export const RESOLUTION_CODES = ['REFUNDED', 'REISSUED_MANUALLY', 'BUYER_ERROR', 'DUPLICATE_REPORT', 'DELIVERY_CONFIRMED', 'OTHER'] as const;

export class ResolveDto {
  @IsIn(RESOLUTION_CODES, { message: `resolutionCode must be one of ${RESOLUTION_CODES.join(', ')}` })
  resolutionCode!: (typeof RESOLUTION_CODES)[number];

  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  note!: string;
}

/** A reason is required for every action that changes what happens to the money or the key. */
export class ReasonDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason!: string;
}

export class OptionalReasonDto {
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class NoteDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  note!: string;
}
