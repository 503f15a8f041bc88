import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { KafkaAdmin, KafkaClient } from '@pt/kafka';
import { KAFKA_CLIENT } from './tokens.js';

/** Rejects when `promise` has not settled within `ms`; the promise itself runs on. */
export async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Asks the brokers for their metadata over one admin connection, opened on the first
 * check and kept; it is only opened again after a check failed. Checks that arrive while
 * one is under way share its answer, so a burst of probes is one request.
 */
@Injectable()
export class KafkaReadiness implements OnModuleDestroy {
  private readonly admin: KafkaAdmin;
  private connected = false;
  private inFlight: Promise<void> | null = null;

  constructor(@Inject(KAFKA_CLIENT) kafka: KafkaClient) {
    // A probe answers now or reports the broker unreachable; it does not wait out retries.
    this.admin = kafka.admin({ retries: 1 });
  }

  /** Resolves when a broker answered within `timeoutMs`; rejects with the reason otherwise. */
  check(timeoutMs: number): Promise<void> {
    this.inFlight ??= this.ask().finally(() => {
      this.inFlight = null;
    });
    return withTimeout(this.inFlight, timeoutMs);
  }

  private async ask(): Promise<void> {
    try {
      if (!this.connected) {
        await this.admin.connect();
        this.connected = true;
      }
      await this.admin.describeCluster();
    } catch (error) {
      this.connected = false;
      await this.admin.disconnect().catch(() => undefined);
      throw error;
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.inFlight?.catch(() => undefined);
    await this.admin.disconnect().catch(() => undefined);
  }
}
