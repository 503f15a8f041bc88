import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

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
