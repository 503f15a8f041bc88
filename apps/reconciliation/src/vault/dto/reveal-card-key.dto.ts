import { IsNotEmpty, IsString, IsUUID, MaxLength } from 'class-validator';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';

/** The order whose card key the buyer (named by their buyer token) wants to read. */
@ApiSchema({ name: 'RevealCardKey' })
export class RevealCardKeyDto {
  @ApiProperty({ minLength: 1, maxLength: 64, description: 'an order of the buyer named by the buyer token' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  orderNumber!: string;
}

/** A supervisor reads a card key to a buyer, for an incident, with a reason. */
@ApiSchema({ name: 'AgentReveal' })
export class AgentRevealDto {
  @ApiProperty({ minLength: 1, maxLength: 64 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  orderNumber!: string;

  @ApiProperty({ format: 'uuid', description: 'the incident the supervisor works on' })
  @IsUUID()
  incidentId!: string;

  @ApiProperty({ minLength: 1, maxLength: 500, description: 'kept in the audit trail' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason!: string;
}
