import { IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';

/** Body of POST /v1/admin/merchants. */
export class CreateMerchantDto {
  /** Optional: the id the upstream systems already use for this merchant. */
  @IsOptional()
  @IsUUID(undefined, { message: 'id must be a UUID' })
  id?: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @Matches(/\S/, { message: 'name must not be blank' })
  name!: string;
}
