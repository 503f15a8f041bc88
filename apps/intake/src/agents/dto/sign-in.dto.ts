import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

@ApiSchema({ name: 'SignIn' })
export class SignInDto {
  @ApiProperty({ minLength: 1, maxLength: 64 })
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  username!: string;

  @ApiProperty({ minLength: 1, maxLength: 200, format: 'password' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  password!: string;
}

@ApiSchema({ name: 'CreateAgent' })
export class CreateAgentDto {
  @ApiProperty({ pattern: '^[a-z0-9._-]{2,64}$' })
  @Matches(/^[a-z0-9._-]{2,64}$/, { message: 'username must be 2-64 lower-case letters, digits, . _ -' })
  username!: string;

  @ApiPropertyOptional({ maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  displayName?: string;

  @ApiProperty({ enum: ['agent', 'supervisor'] })
  @IsIn(['agent', 'supervisor'], { message: 'role must be agent or supervisor' })
  role!: 'agent' | 'supervisor';

  @ApiProperty({ minLength: 10, maxLength: 200, format: 'password' })
  @IsString()
  @MinLength(10, { message: 'password must be at least 10 characters' })
  @MaxLength(200)
  password!: string;
}

@ApiSchema({ name: 'SetPassword' })
export class SetPasswordDto {
  @ApiProperty({ minLength: 10, maxLength: 200, format: 'password' })
  @IsString()
  @MinLength(10, { message: 'password must be at least 10 characters' })
  @MaxLength(200)
  password!: string;
}

@ApiSchema({ name: 'ChangeOwnPassword' })
export class ChangeOwnPasswordDto {
  @ApiProperty({ minLength: 1, maxLength: 200, format: 'password' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  currentPassword!: string;

  @ApiProperty({ minLength: 10, maxLength: 200, format: 'password' })
  @IsString()
  @MinLength(10, { message: 'newPassword must be at least 10 characters' })
  @MaxLength(200)
  newPassword!: string;
}

@ApiSchema({ name: 'SetRole' })
export class SetRoleDto {
  @ApiProperty({ enum: ['agent', 'supervisor'] })
  @IsIn(['agent', 'supervisor'], { message: 'role must be agent or supervisor' })
  role!: 'agent' | 'supervisor';
}
