import { CreateReconciliation1763700000000 } from './1763700000000-create-reconciliation.js';

/** Every reconciliation migration, oldest first. Never edit one that has landed; add a new one. */
export const RECONCILIATION_MIGRATIONS = [CreateReconciliation1763700000000];
