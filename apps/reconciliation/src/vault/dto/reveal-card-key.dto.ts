import { IsNotEmpty, IsString, IsUUID, MaxLength } from 'class-validator';

/** Who asks to see a card key: the order and the account that placed it. */
export class RevealCardKeyDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  orderNumber!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  accountId!: string;
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
