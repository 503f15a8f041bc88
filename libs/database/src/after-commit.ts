import {
  EventSubscriber,
  type EntityManager,
  type EntitySubscriberInterface,
  type QueryRunner,
  type TransactionCommitEvent,
  type TransactionRollbackEvent,
} from 'typeorm';

const pending = new WeakMap<QueryRunner, (() => void)[]>();

/**
 * Runs `effect` once the transaction `m` belongs to has committed, and never if it rolls
 * back: for what must only tell of committed work (a log line saying a decision was made,
 * a counter of decisions). Outside a transaction it runs at once.
 *
 * Needs `AfterCommitSubscriber` among the data source's subscribers
 * (`serviceDataSourceOptions` puts it there).
 */
export function afterCommit(m: EntityManager, effect: () => void): void {
  const runner = m.queryRunner;
  if (!runner?.isTransactionActive) {
    effect();
    return;
  }
  const effects = pending.get(runner) ?? [];
  effects.push(effect);
  pending.set(runner, effects);
}

@EventSubscriber()
export class AfterCommitSubscriber implements EntitySubscriberInterface {
  afterTransactionCommit({ queryRunner }: TransactionCommitEvent): void {
    // A released savepoint: the transaction itself goes on.
    if (queryRunner.isTransactionActive) return;
    const effects = pending.get(queryRunner) ?? [];
    pending.delete(queryRunner);
    for (const effect of effects) {
      try {
        effect();
      } catch {
        // What runs after a commit cannot undo it; a failing effect must not look as if the transaction failed.
      }
    }
  }

  afterTransactionRollback({ queryRunner }: TransactionRollbackEvent): void {
    if (!queryRunner.isTransactionActive) pending.delete(queryRunner);
  }
}
