import { Controller, Get, Header, HttpCode, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiProperty, ApiSchema, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { JsonLogger, ServiceMetrics } from '@pt/observability';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { KafkaReadiness, withTimeout } from './kafka-readiness.js';
import { SERVICE_NAME } from './tokens.js';

type CheckState = 'ok' | 'unreachable';

@ApiSchema({ name: 'Liveness' })
class LivenessBody {
  @ApiProperty({ enum: ['ok'] })
  status!: string;

  @ApiProperty()
  service!: string;
}

@ApiSchema({ name: 'ReadinessChecks' })
class ReadinessChecksBody {
  @ApiProperty({ enum: ['ok', 'unreachable'] })
  database!: CheckState;

  @ApiProperty({ enum: ['ok', 'unreachable'] })
  kafka!: CheckState;
}

@ApiSchema({ name: 'Readiness' })
class ReadinessBody {
  @ApiProperty({ enum: ['ready', 'not ready'] })
  status!: string;

  @ApiProperty()
  service!: string;

  @ApiProperty({ type: ReadinessChecksBody })
  checks!: ReadinessChecksBody;
}

/** Liveness, readiness and Prometheus metrics. */
@Controller()
@ApiTags('operations')
export class HealthController {
  constructor(
    @Inject(SERVICE_NAME) private readonly service: string,
    private readonly kafka: KafkaReadiness,
    private readonly dataSource: DataSource,
    private readonly metrics: ServiceMetrics,
    private readonly logger: JsonLogger,
  ) {}

  @Get('healthz')
  @ApiOperation({ operationId: 'healthz', summary: 'The process is up' })
  @ApiOkResponse({ type: LivenessBody, description: 'up' })
  @HttpCode(200)
  healthz(): { status: string; service: string } {
    return { status: 'ok', service: this.service };
  }

  /**
   * 200 when the database and Kafka answer, 503 otherwise. The body says only `ok` or
   * `unreachable` per check; the reason is logged, with the request's correlation id.
   */
  @Get('readyz')
  @ApiOperation({
    operationId: 'readyz',
    summary: 'The database and Kafka answer',
    description: 'Each check is ok or unreachable; the reason is only logged, with the correlation id.',
  })
  @ApiOkResponse({ type: ReadinessBody, description: 'ready' })
  @ApiServiceUnavailableResponse({ type: ReadinessBody, description: 'not ready' })
  async readyz(@Res() res: Response): Promise<void> {
    const [database, kafka] = await Promise.all([
      this.probe('database', () => withTimeout(this.dataSource.query('SELECT 1'), 2000)),
      this.probe('kafka', () => this.kafka.check(3000)),
    ]);
    const ready = database === 'ok' && kafka === 'ok';
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', service: this.service, checks: { database, kafka } });
  }

  private async probe(check: string, run: () => Promise<unknown>): Promise<CheckState> {
    try {
      await run();
      return 'ok';
    } catch (error) {
      this.logger.warn(
        { msg: `readiness: ${check} unreachable`, check, err: { name: (error as Error).name, message: (error as Error).message } },
        'HealthController',
      );
      return 'unreachable';
    }
  }

  @Get('metrics')
  @ApiOperation({ operationId: 'metrics', summary: 'Prometheus metrics' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text format', schema: { type: 'string' } })
  @Header('Content-Type', 'text/plain; version=0.0.4')
  async metricsText(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
