import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

export const RESOLUTION_CODES = ['REFUNDED', 'REISSUED_MANUALLY', 'BUYER_ERROR', 'DUPLICATE_REPORT', 'DELIVERY_CONFIRMED', 'OTHER'] as const;

@ApiSchema({ name: 'Resolve' })
export class ResolveDto {
  @ApiProperty({ enum: RESOLUTION_CODES })
  @IsIn(RESOLUTION_CODES, { message: `resolutionCode must be one of ${RESOLUTION_CODES.join(', ')}` })
  resolutionCode!: (typeof RESOLUTION_CODES)[number];

  @ApiProperty({ minLength: 1, maxLength: 2000 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  note!: string;
}

/** A reason is required for every action that changes what happens to the money or the key. */
@ApiSchema({ name: 'Reason' })
export class ReasonDto {
  @ApiProperty({ minLength: 1, maxLength: 500 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason!: string;
}

@ApiSchema({ name: 'OptionalReason' })
export class OptionalReasonDto {
  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

@ApiSchema({ name: 'Note' })
export class NoteDto {
  @ApiProperty({ minLength: 1, maxLength: 4000 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  note!: string;
}
