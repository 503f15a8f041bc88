import { Module, type DynamicModule } from '@nestjs/common';
import { PlatformModule, type ServiceDefinition, type ServiceRuntime } from '@pt/platform';
import { INTAKE_API } from './api-docs.js';
import { IntakeConfig } from './config/intake.config.js';
import { IdempotencyKeyEntity } from './incidents/idempotency-key.entity.js';
import { IncidentEntity } from './incidents/incident.entity.js';
import { IncidentsModule } from './incidents/incidents.module.js';
import { INTAKE_MIGRATIONS } from './migrations/index.js';
import { SlaSweeper } from './sla/sla.sweeper.js';
import { StalledIncidentsSweeper } from './incidents/stalled-incidents.sweeper.js';
import { ConsoleModule } from './console/console.module.js';

@Module({})
export class IntakeModule {
  static forRoot(runtime: ServiceRuntime<IntakeConfig>): DynamicModule {
    return {
      module: IntakeModule,
      imports: [
        PlatformModule.forService({
          service: 'intake',
          schema: 'intake',
          ...runtime,
          entities: [IncidentEntity, IdempotencyKeyEntity],
          migrations: INTAKE_MIGRATIONS,
        }),
        IncidentsModule,
        ConsoleModule,
      ],
    };
  }
}

export const intakeService: ServiceDefinition<IntakeConfig> = {
  name: 'intake',
  configClass: IntakeConfig,
  port: (config) => config.INTAKE_PORT,
  host: (config) => config.HTTP_HOST,
  consumerGroup: (config) => config.INTAKE_CONSUMER_GROUP,
  module: (runtime) => IntakeModule.forRoot(runtime),
  openApi: INTAKE_API,
  // A report is a few hundred bytes; anything near the limit is not a report.
  requestBodies: [{ method: 'POST', path: '/v1/incidents', mediaType: 'application/json', maxBytes: 64 * 1024 }],
  // An Idempotency-Key replays its first answer for RETENTION_HOURS.
  retainedTables: [{ table: 'idempotency_keys', doneAt: 'created_at' }],
  afterStart: async (app) => {
    app.get(SlaSweeper).start();
    app.get(StalledIncidentsSweeper).start();
  },
};
