import { CreateSettlement1763700000000 } from './1763700000000-create-settlement.js';
import { MerchantSettlementStatus1764000000000 } from './1764000000000-merchant-settlement-status.js';
import { RateLimits1764100000000 } from './1764100000000-rate-limits.js';
import { AdminAudit1764200000000 } from './1764200000000-admin-audit.js';
import { OutboxSetAside1764300000000 } from './1764300000000-outbox-set-aside.js';
import { RetentionIndexes1764400000000 } from './1764400000000-retention-indexes.js';

/** Every settlement migration, oldest first. Never edit one that has landed; add a new one. */
export const SETTLEMENT_MIGRATIONS = [
  CreateSettlement1763700000000,
  MerchantSettlementStatus1764000000000,
  RateLimits1764100000000,
  AdminAudit1764200000000,
  OutboxSetAside1764300000000,
  RetentionIndexes1764400000000,
];
