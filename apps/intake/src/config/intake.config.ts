import { Type } from 'class-transformer';
import { IsCalendarDateList, IsCurrencyAmounts, currencyAmounts } from '@pt/contracts';
import { IsInt, IsNumber, IsString, Matches, Max, Min, Validate } from 'class-validator';
import { BuyerEdgeConfig } from '@pt/config';
import { AgentTokenPrivateKeyPem } from '@pt/platform';
import type { PriorityAmounts } from '../sla/sla-policy.js';

export class IntakeConfig extends BuyerEdgeConfig {
  /** Reports a channel client may file per minute (all orders together). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  REPORT_LIMIT_PER_CLIENT_PER_MINUTE: number = 600;

  /** Reports on one order number per hour, from any client. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  REPORT_LIMIT_PER_ORDER_PER_HOUR: number = 20;

  /** Ticket views a channel client may ask for per minute. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  TICKET_VIEW_LIMIT_PER_CLIENT_PER_MINUTE: number = 600;

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

  /** Signs agent tokens (PKCS#8 PEM, Ed25519 or P-256); other services hold only the public key. */
  @Validate(AgentTokenPrivateKeyPem)
  AGENT_TOKEN_PRIVATE_KEY!: string;

  @Type(() => Number)
  @IsNumber()
  @Min(0.01)
  AGENT_SESSION_HOURS: number = 8;

  /** Failed sign-ins per username within SIGN_IN_WINDOW_MINUTES before it is refused for a while (0: no limit). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  SIGN_IN_MAX_FAILURES: number = 5;

  /** Failed sign-ins per client address within SIGN_IN_WINDOW_MINUTES, whatever the usernames (0: no limit). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  SIGN_IN_MAX_FAILURES_PER_ADDRESS: number = 50;

  @Type(() => Number)
  @IsNumber()
  @Min(0.1)
  SIGN_IN_WINDOW_MINUTES: number = 15;

  /** Working hours, local to SLA_UTC_OFFSET_MINUTES. */
  @Matches(/^\d{2}:\d{2}-\d{2}:\d{2}$/, { message: 'SLA_BUSINESS_HOURS must look like 09:00-18:00' })
  SLA_BUSINESS_HOURS: string = '09:00-18:00';

  /** ISO weekdays that are working days (1 = Monday). */
  @Matches(/^[1-7](,[1-7])*$/, { message: 'SLA_BUSINESS_DAYS must be a comma-separated list of weekdays 1-7' })
  SLA_BUSINESS_DAYS: string = '1,2,3,4,5';

  @IsCalendarDateList({ message: 'SLA_HOLIDAYS must be a comma-separated list of calendar dates, YYYY-MM-DD' })
  SLA_HOLIDAYS: string = '';

  @Type(() => Number)
  @IsInt()
  @Min(-720)
  @Max(840)
  SLA_UTC_OFFSET_MINUTES: number = 480;

  /** Business minutes to first response / to resolution, per priority. */
  @Matches(/^P1:[\d.]+\/[\d.]+,P2:[\d.]+\/[\d.]+,P3:[\d.]+\/[\d.]+$/, { message: 'SLA_POLICIES must look like P1:15/240,P2:60/480,P3:240/1440' })
  SLA_POLICIES: string = 'P1:15/240,P2:60/480,P3:240/1440';

  /** From these amounts (minor units, per currency) a ticket is P1 by its amount alone. */
  @IsCurrencyAmounts()
  PRIORITY_P1_AMOUNTS_MINOR: string = 'CNY:50000,USD:7000';

  /** From these amounts (minor units, per currency) a ticket is at least P2 by its amount alone. */
  @IsCurrencyAmounts()
  PRIORITY_P2_AMOUNTS_MINOR: string = 'CNY:10000,USD:1500';

  priorityAmounts(): PriorityAmounts {
    return {
      p1: currencyAmounts('PRIORITY_P1_AMOUNTS_MINOR', this.PRIORITY_P1_AMOUNTS_MINOR),
      p2: currencyAmounts('PRIORITY_P2_AMOUNTS_MINOR', this.PRIORITY_P2_AMOUNTS_MINOR),
    };
  }

  @Type(() => Number)
  @IsInt()
  @Min(50)
  SLA_SWEEP_INTERVAL_MS: number = 10000;

  /** An incident still RECEIVED or TRIAGING this many minutes after its last change is escalated as TRIAGE_STALLED. */
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.01)
  INCIDENT_STUCK_AFTER_MINUTES: number = 15;

  /** How often intake looks for incidents stuck before triage, in milliseconds. */
  @Type(() => Number)
  @IsInt()
  @Min(50)
  INCIDENT_STUCK_SWEEP_INTERVAL_MS: number = 30000;

  /** Where the agent console (a browser) reaches reconciliation for the evidence. */
  @Matches(/^https?:\/\/[^\s/]+$/, { message: 'CONSOLE_RECONCILIATION_URL must be an http(s) origin without a path, e.g. http://127.0.0.1:3001' })
  CONSOLE_RECONCILIATION_URL: string = 'http://127.0.0.1:3001';
}
