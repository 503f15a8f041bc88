import { CreateReconciliation1763700000000 } from './1763700000000-create-reconciliation.js';
import { CardKeyStatesAndAudit1763800000000 } from './1763800000000-card-key-states-and-audit.js';
import { BulkReconciliation1763900000000 } from './1763900000000-bulk-reconciliation.js';
import { RateLimits1764100000000 } from './1764100000000-rate-limits.js';
import { AgentAccessMirror1764150000000 } from './1764150000000-agent-access-mirror.js';
import { ChannelClients1764200000000 } from './1764200000000-channel-clients.js';
import { OutboxSetAside1764300000000 } from './1764300000000-outbox-set-aside.js';
import { RetentionIndexes1764400000000 } from './1764400000000-retention-indexes.js';
import { RecheckFailures1764500000000 } from './1764500000000-recheck-failures.js';
import { OrderLines1764600000000 } from './1764600000000-order-lines.js';
import { DecisionSequence1764650000000 } from './1764650000000-decision-sequence.js';

/** Every reconciliation migration, oldest first. Never edit one that has landed; add a new one. */
export const RECONCILIATION_MIGRATIONS = [
  CreateReconciliation1763700000000,
  CardKeyStatesAndAudit1763800000000,
  BulkReconciliation1763900000000,
  RateLimits1764100000000,
  AgentAccessMirror1764150000000,
  ChannelClients1764200000000,
  OutboxSetAside1764300000000,
  RetentionIndexes1764400000000,
  RecheckFailures1764500000000,
  OrderLines1764600000000,
  DecisionSequence1764650000000,
];
