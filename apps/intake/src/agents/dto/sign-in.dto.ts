import { IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

export class SignInDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  username!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  password!: string;
}

export class CreateAgentDto {
  @Matches(/^[a-z0-9._-]{2,64}$/, { message: 'username must be 2-64 lower-case letters, digits, . _ -' })
  username!: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  displayName?: string;

  @IsIn(['agent', 'supervisor'], { message: 'role must be agent or supervisor' })
  role!: 'agent' | 'supervisor';

  @IsString()
  @MinLength(10, { message: 'password must be at least 10 characters' })
  @MaxLength(200)
  password!: string;
}

export class SetPasswordDto {
  @IsString()
  @MinLength(10, { message: 'password must be at least 10 characters' })
  @MaxLength(200)
  password!: string;
}

export class ChangeOwnPasswordDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  currentPassword!: string;

  @IsString()
  @MinLength(10, { message: 'newPassword must be at least 10 characters' })
  @MaxLength(200)
  newPassword!: string;
}

export class SetRoleDto {
  @IsIn(['agent', 'supervisor'], { message: 'role must be agent or supervisor' })
  role!: 'agent' | 'supervisor';
}
