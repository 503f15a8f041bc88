import { Type } from 'class-transformer';
import { IsInt, IsString, Max, Min } from 'class-validator';
import { BaseServiceConfig } from '@pt/config';

export class SettlementConfig extends BaseServiceConfig {
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(65535)
  SETTLEMENT_PORT: number = 3002;

  @IsString()
  HTTP_HOST: string = '127.0.0.1';

  @IsString()
  SETTLEMENT_CONSUMER_GROUP: string = 'settlement';
}
