import { IsCurrencyAmounts, IsMinorUnits, currencyAmounts, type CurrencyAmounts } from '@pt/contracts';
import { Type } from 'class-transformer';
import { IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min, Validate, ValidatorConstraint, type ValidatorConstraintInterface } from 'class-validator';
import { ValidStatementFormats } from './statement-format.js';
import { ValidCronExpression, ValidTimeZone } from './recon-schedule.js';
import { StrongVaultKey } from './vault-key.strength.js';
import { BuyerEdgeConfig } from '@pt/config';
import { AgentTokenPublicKeyPem, NoAgentTokenPrivateKey } from '@pt/platform';

/** Refuses the single, currency-less cap of earlier versions instead of applying it to every currency. */
@ValidatorConstraint({ name: 'retiredAutoIssueCap' })
export class RetiredAutoIssueCap implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return value === undefined;
  }

  defaultMessage(): string {
    return 'is no longer read: it set one cap for every currency. Remove it and set TRIAGE_AUTO_ISSUE_CAPS_MINOR with a cap per currency instead, e.g. CNY:100000,USD:15000';
  }
}

export class ReconciliationConfig extends BuyerEdgeConfig {
  /** Reveals answered per channel client per minute (all orders together). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  REVEAL_LIMIT_PER_CLIENT_PER_MINUTE: number = 120;

  /** Reveal attempts per order number per hour, from any client. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  REVEAL_LIMIT_PER_ORDER_PER_HOUR: number = 10;

  /** Refused reveals of one order within REVEAL_ALERT_WINDOW_MINUTES that raise a security incident. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  REVEAL_ALERT_REFUSALS: number = 5;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  REVEAL_ALERT_WINDOW_MINUTES: number = 15;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(65535)
  RECONCILIATION_PORT: number = 3001;

  @IsString()
  HTTP_HOST: string = '127.0.0.1';

  @IsString()
  RECONCILIATION_CONSUMER_GROUP: string = 'reconciliation';

  /** AES-256-GCM key for card-key secrets: 32 random bytes, base64. */
  @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'VAULT_KEY must be 32 random bytes encoded as base64 (44 characters)' })
  @Validate(StrongVaultKey)
  VAULT_KEY!: string;

  @Matches(/^[A-Za-z0-9_-]{1,32}$/, { message: 'VAULT_KEY_ID must be 1-32 letters, digits, _ or -' })
  VAULT_KEY_ID: string = 'k1';

  /** Keys rotated out but still needed to open older rows: "k0:base64,k00:base64". */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/]{43}=(,[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/]{43}=)*$/, {
    message: 'VAULT_PREVIOUS_KEYS must be a comma-separated list of keyId:base64key',
  })
  VAULT_PREVIOUS_KEYS?: string;

  /** Every configured vault key by id: the active one and the previous ones. */
  vaultKeys(): Record<string, string> {
    const keys: Record<string, string> = {};
    for (const pair of (this.VAULT_PREVIOUS_KEYS ?? '').split(',').filter(Boolean)) {
      const [id, key] = pair.split(':');
      keys[id] = key!;
    }
    keys[this.VAULT_KEY_ID] = this.VAULT_KEY;
    return keys;
  }

  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  TRIAGE_WAITING_WINDOW_MINUTES: number = 30;

  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.01)
  TRIAGE_CLEARING_STUCK_AFTER_MINUTES: number = 4320;

  /**
   * Auto-issue cap per currency, in minor units: orders above their currency's cap need a
   * person to approve a re-issue; orders in a currency without a cap are never auto-issued.
   */
  @IsCurrencyAmounts()
  TRIAGE_AUTO_ISSUE_CAPS_MINOR: string = 'CNY:100000,USD:15000';

  /** Declared only to refuse it: replaced by TRIAGE_AUTO_ISSUE_CAPS_MINOR. */
  @Validate(RetiredAutoIssueCap)
  TRIAGE_AUTO_ISSUE_CAP_MINOR?: string;

  autoIssueCapsMinor(): CurrencyAmounts {
    return currencyAmounts('TRIAGE_AUTO_ISSUE_CAPS_MINOR', this.TRIAGE_AUTO_ISSUE_CAPS_MINOR);
  }

  /**
   * Minutes a report of an order the ledger does not know yet waits for the shop's
   * ledger.order-placed (re-triaged at once when it arrives, and by the sweeper) before it
   * escalates as ORDER_NOT_FOUND. 0 escalates at once.
   */
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  TRIAGE_ORDER_WAIT_MINUTES: number = 5;

  /**
   * Minutes after the order's expiry within which a payment is still honoured like any
   * other; a payment made later escalates as PAID_AFTER_EXPIRY.
   */
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  TRIAGE_PAID_AFTER_EXPIRY_GRACE_MINUTES: number = 30;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  TRIAGE_VELOCITY_LIMIT: number = 3;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  TRIAGE_VELOCITY_WINDOW_HOURS: number = 24;

  /** Back-off between re-checks of a waiting incident, in minutes; the last step repeats. */
  @Matches(/^\d+(\.\d+)?(,\d+(\.\d+)?)*$/, { message: 'TRIAGE_RECHECK_SCHEDULE_MINUTES must be a comma-separated list of minutes, e.g. 5,60,1440' })
  TRIAGE_RECHECK_SCHEDULE_MINUTES: string = '5,60,1440';

  /** How often the sweeper looks for due re-checks, in milliseconds. */
  @Type(() => Number)
  @IsInt()
  @Min(50)
  TRIAGE_SWEEP_INTERVAL_MS: number = 5000;

  /** Re-checks of one waiting incident that may fail in a row before it is escalated as RECHECK_FAILED. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  TRIAGE_RECHECK_MAX_FAILURES: number = 5;

  /** Pause after a failed re-check, in milliseconds; doubled after each further failure. */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  TRIAGE_RECHECK_RETRY_BASE_MS: number = 30_000;

  /** The longest pause between failed re-checks, in milliseconds. */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  TRIAGE_RECHECK_RETRY_MAX_MS: number = 1_800_000;

  recheckScheduleMinutes(): number[] {
    return this.TRIAGE_RECHECK_SCHEDULE_MINUTES.split(',').map(Number);
  }

  /** Checks the agent tokens intake signs: intake's public key (SPKI PEM). */
  @Validate(AgentTokenPublicKeyPem)
  AGENT_TOKEN_PUBLIC_KEY!: string;

  /** Declared only to refuse it: reconciliation must never be able to mint agent tokens. */
  @Validate(NoAgentTokenPrivateKey)
  AGENT_TOKEN_PRIVATE_KEY?: string;

  /** Origins of the agent console allowed to read evidence from the browser. */
  @Matches(/^https?:\/\/[^\s,]+(,https?:\/\/[^\s,]+)*$/, { message: 'CONSOLE_ORIGINS must be a comma-separated list of http(s) origins' })
  CONSOLE_ORIGINS: string = 'http://127.0.0.1:3000,http://localhost:3000';

  /** A statement amount may differ from the ledger's by this many minor units and still match. */
  @IsMinorUnits({ message: 'RECON_AMOUNT_TOLERANCE_MINOR must be an integer amount in minor units' })
  RECON_AMOUNT_TOLERANCE_MINOR: string = '0';

  /** A run that would open more incidents than this opens none and raises one systemic incident. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  RECON_INCIDENT_CAP: number = 50;

  /** A statement with more rejected rows than this share of its rows is refused whole. */
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  RECON_MAX_REJECTED_PERCENT: number = 5;

  /** Rejected rows kept per run with their line numbers (all are counted by reason). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100000)
  RECON_REJECTED_ROWS_KEPT: number = 1000;

  /** Time zone of the statement day for channels without a statement format, and of the schedule: an IANA zone or a UTC offset. */
  @Validate(ValidTimeZone)
  RECON_TIME_ZONE: string = '+08:00';

  /** Cron expression (minute hour day-of-month month day-of-week, read in RECON_TIME_ZONE) of the daily mirror run; empty: off. */
  @IsOptional()
  @Validate(ValidCronExpression)
  RECON_SCHEDULE_CRON?: string;

  /** Channels the scheduled run covers; empty: every channel with clearing records that day. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.-]{1,32}(,[A-Za-z0-9_.-]{1,32})*$/, { message: 'RECON_SCHEDULE_CHANNELS must be a comma-separated list of channels' })
  RECON_SCHEDULE_CHANNELS?: string;

  /** More statement formats, as a JSON array (see docs/bulk-reconciliation.md); they replace built-ins of the same channel. */
  @IsOptional()
  @Validate(ValidStatementFormats)
  STATEMENT_FORMATS?: string;
}
