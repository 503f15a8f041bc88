import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';

/** Body of POST /v1/admin/merchants. */
@ApiSchema({ name: 'CreateMerchant' })
export class CreateMerchantDto {
  /** Optional: the id the upstream systems already use for this merchant. */
  @ApiPropertyOptional({ format: 'uuid', description: 'optional: the id upstream systems already use' })
  @IsOptional()
  @IsUUID(undefined, { message: 'id must be a UUID' })
  id?: string;

  @ApiProperty({ minLength: 1, maxLength: 200, pattern: '\\S' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @Matches(/\S/, { message: 'name must not be blank' })
  name!: string;
}
