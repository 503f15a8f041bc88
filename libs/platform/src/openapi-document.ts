import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { BaseServiceConfig } from '@pt/config';
import { NO_FAULTS } from '@pt/faults';
import { JsonLogger, ServiceMetrics } from '@pt/observability';
import { createKafkaClient } from '@pt/kafka';
import { buildOpenApiDocument } from './openapi.js';
import type { ServiceDefinition, ServiceRuntime } from './run-service.js';

/**
 * What a service's module is built with when nothing will run: the config class defaults
 * (never the environment), a logger to stderr, and a Kafka client that is never connected.
 */
export function offlineRuntime<C extends BaseServiceConfig>(definition: ServiceDefinition<C>): ServiceRuntime<C> {
  return {
    config: new definition.configClass(),
    logger: new JsonLogger(definition.name, 'error', (line) => process.stderr.write(`${line}\n`)),
    metrics: new ServiceMetrics(definition.name),
    kafka: createKafkaClient({ clientId: `${definition.name}-openapi`, brokers: ['kafka.invalid:9092'], client: 'kafkajs' }),
    faults: NO_FAULTS,
  };
}

/**
 * A service's OpenAPI document without PostgreSQL or Kafka: the application is created in
 * preview mode, which reads the modules and controllers but instantiates no provider (no
 * data source, no consumer, no relay). Its configuration is the class defaults only, never
 * the environment, and its Kafka client is never connected: nothing the document says can
 * depend on them.
 */
export async function openApiDocument<C extends BaseServiceConfig>(definition: ServiceDefinition<C>): Promise<OpenAPIObject> {
  const app = await NestFactory.create<NestExpressApplication>(definition.module(offlineRuntime(definition)), {
    preview: true,
    logger: false,
    abortOnError: false,
    bodyParser: false,
  });
  try {
    return buildOpenApiDocument(app, definition.openApi);
  } finally {
    await app.close();
  }
}
