import { ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';
import { Cron } from 'croner';
import { parseTimeZone, type TimeZone } from './time-zone.js';

export class ScheduleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScheduleError';
  }
}

function zoneOf(text: string): TimeZone {
  const zone = parseTimeZone(text);
  if (!zone) throw new ScheduleError(`"${text}" is neither an IANA time zone such as Asia/Shanghai nor a UTC offset such as +08:00 or Z`);
  return zone;
}

/** croner's messages start with the class that threw them; the reader needs the problem only. */
function plain(error: unknown): string {
  return (error as Error).message.replace(/^Cron\w*:\s*/, '');
}

/**
 * The daily schedule: a five-field cron expression (minute hour day-of-month month
 * day-of-week, names and @daily-style shortcuts allowed) read in a time zone, by the
 * croner library. As in Vixie cron, when both day fields are restricted a day matching
 * either one fires. In an IANA zone a time the clocks skip fires at the end of the skip,
 * and a time they repeat fires once.
 */
export class ReconSchedule {
  private constructor(
    readonly expression: string,
    readonly zone: TimeZone,
    private readonly cron: Cron,
  ) {}

  /** Throws a {@link ScheduleError} saying what is wrong with the expression or the zone. */
  static create(expression: string, timeZone: string): ReconSchedule {
    const zone = zoneOf(timeZone);
    let cron: Cron;
    try {
      cron = new Cron(expression.trim(), {
        paused: true,
        mode: '5-part',
        domAndDow: false,
        ...(zone.kind === 'iana' ? { timezone: zone.name } : { utcOffset: zone.offsetMinutes }),
      });
    } catch (error) {
      throw new ScheduleError(plain(error));
    }
    const schedule = new ReconSchedule(expression, zone, cron);
    schedule.next(new Date());
    return schedule;
  }

  /** The first fire time strictly after `after`. */
  next(after: Date): Date {
    const next = this.cron.nextRun(after);
    if (!next) throw new ScheduleError(`"${this.expression}" never fires`);
    return next;
  }
}

@ValidatorConstraint({ name: 'cronExpression' })
export class ValidCronExpression implements ValidatorConstraintInterface {
  private problem = '';

  validate(value: unknown): boolean {
    try {
      // The zone is checked on its own; UTC stands in here so that a bad zone is not blamed on the expression.
      ReconSchedule.create(String(value), 'UTC');
      return true;
    } catch (error) {
      this.problem = (error as Error).message;
      return false;
    }
  }

  defaultMessage(): string {
    return `RECON_SCHEDULE_CRON is not a five-field cron expression: ${this.problem}`;
  }
}

@ValidatorConstraint({ name: 'timeZone' })
export class ValidTimeZone implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && parseTimeZone(value) !== undefined;
  }

  defaultMessage(): string {
    return 'RECON_TIME_ZONE must be an IANA time zone such as Asia/Shanghai, or a UTC offset such as +08:00 or Z';
  }
}
