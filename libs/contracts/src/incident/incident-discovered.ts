import { ArrayMaxSize, IsArray, IsIn, IsInt, IsISO8601, IsNotEmpty, IsString, IsUUID, Matches, MaxLength, Min } from 'class-validator';
import { CURRENCY_PATTERN, IsMinorUnits } from '../money.js';

export const INCIDENT_DISCOVERED_TYPE = 'incident.discovered';
export const SYSTEMIC_INCIDENT_DISCOVERED_TYPE = 'incident.systemic-discovered';

/** What a reconciliation run found about an order whose money arrived but nothing was credited. */
export const DISCOVERY_FINDINGS = ['NO_ORDER', 'NO_PAYMENT', 'NO_DELIVERY'] as const;
export type DiscoveryFinding = (typeof DISCOVERY_FINDINGS)[number];

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Money a reconciliation run saw arrive for an order that was never credited. Intake
 * opens (or joins) an incident for it, exactly as for a buyer's report, and uses
 * `discoveryId` as the new incident's id.
 */
export class IncidentDiscoveredV1 {
  @IsUUID()
  discoveryId!: string;

  @IsUUID()
  runId!: string;

  @IsIn(['PAID_NOT_CREDITED'])
  incidentType!: 'PAID_NOT_CREDITED';

  @IsIn(DISCOVERY_FINDINGS)
  finding!: DiscoveryFinding;

  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  orderNumber!: string;

  /** The order's account from the ledger mirror; `unknown` when the ledger has no such order. */
  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  accountId!: string;

  @IsMinorUnits()
  amountMinor!: string;

  @Matches(CURRENCY_PATTERN)
  currency!: string;

  /** When the channel says the payment cleared. */
  @IsISO8601({ strict: true })
  paidAt!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(32)
  channel!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  paymentReference!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  explanation!: string;

  @IsISO8601({ strict: true })
  discoveredAt!: string;
}

/**
 * One run found more orders to open incidents for than its cap allows: none was opened
 * one by one, and this single systemic incident lists them for a person to look at.
 */
export class SystemicIncidentDiscoveredV1 {
  @IsUUID()
  systemicIncidentId!: string;

  @IsUUID()
  runId!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(32)
  channel!: string;

  @Matches(DATE_ONLY)
  periodStart!: string;

  @Matches(DATE_ONLY)
  periodEnd!: string;

  @IsIn(['MISSING_IN_LEDGER'])
  category!: 'MISSING_IN_LEDGER';

  @IsInt()
  @Min(1)
  orderCount!: number;

  @IsInt()
  @Min(0)
  cap!: number;

  /** The first orders concerned (at most 200); the full list is on reconciliation's API. */
  @IsArray()
  @ArrayMaxSize(200)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  orderNumbers!: string[];

  @IsMinorUnits()
  totalAmountMinor!: string;

  /** Currency of the total; `XXX` when the orders are in more than one currency. */
  @Matches(CURRENCY_PATTERN)
  currency!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  explanation!: string;

  @IsISO8601({ strict: true })
  detectedAt!: string;
}

export const SECURITY_ALERT_RAISED_TYPE = 'incident.security-alert-raised';

/**
 * Someone keeps being refused a card key of one order (wrong buyer, bad or missing
 * token): reconciliation tells intake once per alert window, and intake opens a P1
 * security incident for agents. Names the order, never who the caller claimed to be.
 */
export class SecurityAlertRaisedV1 {
  @IsUUID()
  alertId!: string;

  @IsIn(['REVEAL_REFUSALS'])
  kind!: 'REVEAL_REFUSALS';

  @IsString()
  @IsNotEmpty()
  @MaxLength(64)
  orderNumber!: string;

  @IsInt()
  @Min(1)
  refusals!: number;

  @IsInt()
  @Min(1)
  windowMinutes!: number;

  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  detail!: string;

  @IsISO8601({ strict: true })
  raisedAt!: string;
}
