import type { ModuleMetadata } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { JsonLogger } from '@pt/observability';
import { HttpExceptionFilter, ValidatedInputPipe } from '@pt/platform';

/** A controller served over real HTTP on a free port, with the services' error filter and input pipe. */
export interface ControllerTestApp {
  readonly url: string;
  /** Every line the error filter logged, parsed. */
  readonly logged: Record<string, unknown>[];
  close(): Promise<void>;
}

/**
 * The controller tier of the tests: the controllers of `metadata` with the collaborators
 * the spec provides (stand-ins for repositories and services), answering HTTP exactly as a
 * service does — same validation, same error bodies — but with no database or broker.
 */
export async function startControllerTestApp(metadata: ModuleMetadata): Promise<ControllerTestApp> {
  const logged: Record<string, unknown>[] = [];
  const logger = new JsonLogger('controller-test', 'warn', (line) => logged.push(JSON.parse(line) as Record<string, unknown>));
  const moduleRef = await Test.createTestingModule(metadata).compile();
  const app = moduleRef.createNestApplication<NestExpressApplication>({ logger: false });
  app.useGlobalFilters(new HttpExceptionFilter(logger));
  app.useGlobalPipes(new ValidatedInputPipe());
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}`, logged, close: () => app.close() };
}
