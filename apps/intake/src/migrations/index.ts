import { CreateIncidents1763700000000 } from './1763700000000-create-incidents.js';
import { AgentsSlaAudit1763800000000 } from './1763800000000-agents-sla-audit.js';
import { ReconciliationIncidents1763900000000 } from './1763900000000-reconciliation-incidents.js';
import { RateLimits1764100000000 } from './1764100000000-rate-limits.js';
import { AgentAccessVersion1764150000000 } from './1764150000000-agent-access-version.js';
import { BuyerEdge1764200000000 } from './1764200000000-buyer-edge.js';
import { OutboxSetAside1764300000000 } from './1764300000000-outbox-set-aside.js';
import { RetentionIndexes1764400000000 } from './1764400000000-retention-indexes.js';
import { CardKeyIds1764600000000 } from './1764600000000-card-key-ids.js';
import { DecisionSequence1764650000000 } from './1764650000000-decision-sequence.js';

/** Every intake migration, oldest first. Never edit one that has landed; add a new one. */
export const INTAKE_MIGRATIONS = [
  CreateIncidents1763700000000,
  AgentsSlaAudit1763800000000,
  ReconciliationIncidents1763900000000,
  RateLimits1764100000000,
  AgentAccessVersion1764150000000,
  BuyerEdge1764200000000,
  OutboxSetAside1764300000000,
  RetentionIndexes1764400000000,
  CardKeyIds1764600000000,
  DecisionSequence1764650000000,
];
