import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { CHANNEL_KINDS, type ChannelKind } from '../channel-client.repository.js';

export class CreateChannelClientDto {
  @IsString()
  @Matches(/^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,99}$/u, { message: 'name must be 1-100 letters, digits, spaces, . _ - (starting with a letter or digit)' })
  name!: string;

  @IsIn(CHANNEL_KINDS, { message: `kind must be one of ${CHANNEL_KINDS.join(', ')}` })
  kind!: ChannelKind;

  /** A note on the first key, e.g. where it is deployed. */
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  keyLabel?: string;
}

export class CreateChannelKeyDto {
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  label?: string;
}
