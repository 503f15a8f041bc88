import { IsNotEmpty, IsString, IsUUID, MaxLength } from 'class-validator';

/** The order whose card key the buyer (named by their buyer token) wants to read. */
export class RevealCardKeyDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  orderNumber!: string;
}

/** A supervisor reads a card key to a buyer, for an incident, with a reason. */
export class AgentRevealDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  orderNumber!: string;

  @IsUUID()
  incidentId!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason!: string;
}
