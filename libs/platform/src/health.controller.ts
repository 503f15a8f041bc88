import { Controller, Get, Header, HttpCode, Inject, Res } from '@nestjs/common';
import { ServiceMetrics } from '@pt/observability';
import type { Response } from 'express';
import type { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { KAFKA_CLIENT, SERVICE_NAME } from './tokens.js';

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
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

/** Liveness, readiness and Prometheus metrics. */
@Controller()
export class HealthController {
  constructor(
    @Inject(SERVICE_NAME) private readonly service: string,
    @Inject(KAFKA_CLIENT) private readonly kafka: Kafka,
    private readonly dataSource: DataSource,
    private readonly metrics: ServiceMetrics,
  ) {}

  @Get('healthz')
  @HttpCode(200)
  healthz(): { status: string; service: string } {
    return { status: 'ok', service: this.service };
  }

  @Get('readyz')
  async readyz(@Res() res: Response): Promise<void> {
    const checks: Record<string, string> = {};
    try {
      await withTimeout(this.dataSource.query('SELECT 1'), 2000);
      checks.database = 'ok';
    } catch (error) {
      checks.database = `unreachable: ${(error as Error).message}`;
    }
    const admin = this.kafka.admin();
    try {
      await withTimeout(
        (async () => {
          await admin.connect();
          await admin.describeCluster();
        })(),
        3000,
      );
      checks.kafka = 'ok';
    } catch (error) {
      checks.kafka = `unreachable: ${(error as Error).message}`;
    } finally {
      void admin.disconnect().catch(() => undefined);
    }
    const ready = Object.values(checks).every((v) => v === 'ok');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', service: this.service, checks });
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4')
  async metricsText(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
