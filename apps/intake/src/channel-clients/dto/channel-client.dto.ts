import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { CHANNEL_KINDS, type ChannelKind } from '../channel-client.repository.js';
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

@ApiSchema({ name: 'CreateChannelClient' })
export class CreateChannelClientDto {
  @ApiProperty({
    pattern: '^[\\p{L}\\p{N}][\\p{L}\\p{N} ._-]{0,99}$',
    description: '1-100 letters, digits, spaces, . _ - (starting with a letter or digit); unique',
    example: 'help-center',
  })
  @IsString()
  @Matches(/^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,99}$/u, { message: 'name must be 1-100 letters, digits, spaces, . _ - (starting with a letter or digit)' })
  name!: string;

  @ApiProperty({ enum: CHANNEL_KINDS })
  @IsIn(CHANNEL_KINDS, { message: `kind must be one of ${CHANNEL_KINDS.join(', ')}` })
  kind!: ChannelKind;

  /** A note on the first key, e.g. where it is deployed. */
  @ApiPropertyOptional({ minLength: 1, maxLength: 100, description: 'a note on the first key, e.g. where it is deployed' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  keyLabel?: string;
}

@ApiSchema({ name: 'CreateChannelKey' })
export class CreateChannelKeyDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 100 })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  label?: string;
}
