import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_CONFIG } from '@pt/platform';
import type { IntakeConfig } from '../config/intake.config.js';
import { businessMinutesBetween, parseCalendar, type BusinessCalendar } from './business-calendar.js';
import { businessMinutesLeft, dueTimes, parsePolicies, priorityOf, type Priority, type PriorityAmounts, type SlaDue, type SlaPolicies } from './sla-policy.js';

/** SLA arithmetic with the configured calendar and policies. */
@Injectable()
export class SlaService {
  readonly calendar: BusinessCalendar;
  readonly policies: SlaPolicies;
  readonly priorityAmounts: PriorityAmounts;

  constructor(@Inject(SERVICE_CONFIG) config: IntakeConfig) {
    this.calendar = parseCalendar(config.SLA_BUSINESS_HOURS, config.SLA_BUSINESS_DAYS, config.SLA_HOLIDAYS, config.SLA_UTC_OFFSET_MINUTES);
    this.policies = parsePolicies(config.SLA_POLICIES);
    this.priorityAmounts = config.priorityAmounts();
  }

  priority(urgent: boolean, amountMinor: string, currency: string, reasonCode: string | null): Priority {
    return priorityOf(urgent, amountMinor, currency, reasonCode, this.priorityAmounts);
  }

  due(createdAt: Date, priority: Priority, pausedMinutes: number): SlaDue {
    return dueTimes(createdAt, priority, this.policies, this.calendar, pausedMinutes);
  }

  pausedMinutes(since: Date, until: Date): number {
    return businessMinutesBetween(since, until, this.calendar);
  }

  minutesLeft(now: Date, due: Date): number {
    return businessMinutesLeft(now, due, this.calendar);
  }
}
