import { ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** Body of POST .../api-keys and .../rotate: an optional label to tell keys apart. */
@ApiSchema({ name: 'CreateApiKey' })
export class CreateApiKeyDto {
  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  label?: string;
}
