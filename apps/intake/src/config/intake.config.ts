import { Type } from 'class-transformer';
import { IsInt, IsString, Max, Min } from 'class-validator';
import { BaseServiceConfig } from '@pt/config';

export class IntakeConfig extends BaseServiceConfig {
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(65535)
  INTAKE_PORT: number = 3000;

  @IsString()
  HTTP_HOST: string = '127.0.0.1';

  @IsString()
  INTAKE_CONSUMER_GROUP: string = 'intake';

  /** A repeated report joins an automatically resolved incident for this many hours. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  INTAKE_REPORT_DEDUPE_HOURS: number = 24;
}
