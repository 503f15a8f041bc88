import { Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { ConsoleHeadersMiddleware } from './console-headers.middleware.js';
import { ConsoleController } from './console.controller.js';

@Module({ controllers: [ConsoleController] })
export class ConsoleModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(ConsoleHeadersMiddleware).forRoutes(ConsoleController);
  }
}
