import { Type } from 'class-transformer';
import { IsInt, IsString, Max, Min, registerDecorator } from 'class-validator';
import { BaseServiceConfig } from '@pt/config';
import { parseDateList, parseDaysByChannel, parseUtcOffset, type SettlementPolicy } from '../calendar/business-calendar.js';

/** Validates a setting with a parser that explains what is wrong. */
function ParsedBy(parse: (value: string) => { problem: string } | object | undefined, fallback: string): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    let lastProblem = fallback;
    registerDecorator({
      name: 'parsedBy',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: () => `${String(propertyName)} ${lastProblem}` },
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string') return false;
          const result = parse(value);
          if (result === undefined) {
            lastProblem = fallback;
            return false;
          }
          if ('problem' in result) {
            lastProblem = `is invalid: ${result.problem}`;
            return false;
          }
          return true;
        },
      },
    });
  };
}

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

  /** Requests per minute each merchant may make (counted in PostgreSQL, across replicas). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  SETTLEMENT_RATE_LIMIT_PER_MINUTE: number = 600;

  /** T+N business days per channel, e.g. "alipay:1,wechat:1,unionpay:2,default:1". */
  @ParsedBy(parseDaysByChannel, 'must be channel:days pairs, e.g. alipay:1,unionpay:2,default:1')
  SETTLEMENT_DAYS_BY_CHANNEL: string = 'alipay:1,wechat:1,unionpay:2,default:1';

  /** Bank holidays: "2026-10-01,2026-10-02" or the path of a file listing them. */
  @ParsedBy(parseDateList, 'must be YYYY-MM-DD dates separated by commas, or the path of a file listing them')
  SETTLEMENT_HOLIDAYS: string = '';

  /** Weekend days on which banks work (make-up days), same format as SETTLEMENT_HOLIDAYS. */
  @ParsedBy(parseDateList, 'must be YYYY-MM-DD dates separated by commas, or the path of a file listing them')
  SETTLEMENT_WORKING_WEEKENDS: string = '';

  /** Offset of the bank calendar from UTC, e.g. +08:00 for China. */
  @ParsedBy((v) => (parseUtcOffset(v) === undefined ? undefined : {}), 'must be an offset like +08:00 or -05:00')
  SETTLEMENT_CALENDAR_UTC_OFFSET: string = '+00:00';

  settlementPolicy(): SettlementPolicy {
    const days = parseDaysByChannel(this.SETTLEMENT_DAYS_BY_CHANNEL);
    const holidays = parseDateList(this.SETTLEMENT_HOLIDAYS);
    const working = parseDateList(this.SETTLEMENT_WORKING_WEEKENDS);
    if ('problem' in days || 'problem' in holidays || 'problem' in working) throw new Error('settlement calendar settings were not validated');
    return {
      daysByChannel: days.daysByChannel,
      defaultDays: days.defaultDays,
      holidays: holidays.dates,
      workingWeekends: working.dates,
      utcOffsetMinutes: parseUtcOffset(this.SETTLEMENT_CALENDAR_UTC_OFFSET)!,
    };
  }
}
