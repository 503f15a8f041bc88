import type { ReconciliationConfig } from '../config/reconciliation.config.js';
import type { ReconSettings } from './bulk-reconciliation.service.js';
import { StatementFormats } from '../config/statement-format.js';

/** The bulk-run settings of a validated configuration. */
export function reconSettingsFrom(config: ReconciliationConfig): ReconSettings {
  return {
    databaseUrl: config.DATABASE_URL,
    toleranceMinor: config.RECON_AMOUNT_TOLERANCE_MINOR,
    incidentCap: config.RECON_INCIDENT_CAP,
    maxRejectedPercent: config.RECON_MAX_REJECTED_PERCENT,
    rejectedRowsKept: config.RECON_REJECTED_ROWS_KEPT,
    timeZone: config.RECON_TIME_ZONE,
    formats: new StatementFormats(config.STATEMENT_FORMATS),
  };
}
