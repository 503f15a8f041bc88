import { IsOptional, IsString, MaxLength } from 'class-validator';

/** Body of POST .../api-keys and .../rotate: an optional label to tell keys apart. */
export class CreateApiKeyDto {
  @IsOptional()
  @IsString()
  @MaxLength(100)
  label?: string;
}
