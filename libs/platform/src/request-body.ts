import { HttpStatus } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import type { IncomingMessage } from 'node:http';
import { adminOperatorOf, adminTokenRequired, type AdminCredential } from './admin-token.guard.js';
import { ApiError } from './api-error.js';
import { keepCorrelation } from './request-context.middleware.js';

/** Largest body any route accepts unless it declares more: JSON up to 64 KB. */
export const DEFAULT_BODY_LIMIT_BYTES = 64 * 1024;

/**
 * A route that takes a body other than the default, declared in the service definition.
 * Paths are compared without the query, case-insensitively, ignoring a trailing slash;
 * a request that matches no declaration gets the default, the smallest limit.
 */
export interface RequestBodyRoute {
  method: 'POST' | 'PUT' | 'PATCH';
  /** The route's path, without parameters, e.g. `/v1/admin/card-keys`. */
  path: string;
  /** The media type this declaration is for, e.g. `application/json` or `text/csv`. */
  mediaType: string;
  /** Largest body accepted, in bytes. */
  maxBytes: number;
  /**
   * Only a caller with the admin token may send it: the credential is checked before a
   * byte of the body is read, so an unauthenticated upload is refused (401) unread.
   */
  adminOnly?: boolean;
  /**
   * The handler reads the body itself, as a stream (large uploads); no parser buffers it.
   * Its limit is checked against Content-Length.
   */
  streamed?: boolean;
}

type Plan = { limit: number; parser: 'json' | 'text' | null };

const normalise = (path: string) => path.toLowerCase().replace(/\/+$/, '') || '/';

const kilobytes = (bytes: number) => (bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MB` : `${Math.round(bytes / 1024)} KB`);

function tooLarge(limit: number): ApiError {
  return new ApiError(
    HttpStatus.PAYLOAD_TOO_LARGE,
    'PAYLOAD_TOO_LARGE',
    `the request body is larger than the ${kilobytes(limit)} this route accepts; nothing was done`,
  );
}

/**
 * Installs the body handling of a service: before anything is read, a body larger than
 * its route allows (by Content-Length) is refused with 413, and an upload to an
 * admin-only route without the admin token with 401; then JSON (and the declared text
 * bodies) are parsed within the route's limit, which also holds for bodies sent without
 * a length. Bodies of other types are left unread.
 */
export function installRequestBodies(app: NestExpressApplication, routes: readonly RequestBodyRoute[], adminCredentials: readonly AdminCredential[]): void {
  const plans = new WeakMap<IncomingMessage, Plan>();
  const declared = routes.map((r) => ({ ...r, path: normalise(r.path), mediaType: r.mediaType.toLowerCase() }));

  app.use((req: Request, _res: Response, next: NextFunction) => {
    const length = req.headers['content-length'];
    if (length === undefined && req.headers['transfer-encoding'] === undefined) return next();
    const type = String(req.headers['content-type'] ?? '').toLowerCase();
    const path = normalise(req.path);
    const route = declared.find((r) => r.method === req.method && r.path === path && type.startsWith(r.mediaType));
    if (route?.adminOnly && !adminOperatorOf(req.headers.authorization, adminCredentials)) return next(adminTokenRequired());
    const limit = route?.maxBytes ?? DEFAULT_BODY_LIMIT_BYTES;
    if (length !== undefined && Number(length) > limit) return next(tooLarge(limit));
    if (route?.streamed) return next();
    const parser = type.startsWith('application/json') ? 'json' : route ? 'text' : null;
    plans.set(req, { limit, parser });
    next();
  });

  // One parser per kind and limit; each takes only the requests planned for it.
  const limits = new Set([DEFAULT_BODY_LIMIT_BYTES, ...declared.filter((r) => !r.streamed).map((r) => r.maxBytes)]);
  for (const limit of limits) {
    app.useBodyParser('json', { limit, type: (req: IncomingMessage) => plans.get(req)?.parser === 'json' && plans.get(req)?.limit === limit });
    app.useBodyParser('text', { limit, type: (req: IncomingMessage) => plans.get(req)?.parser === 'text' && plans.get(req)?.limit === limit });
  }
  // The parsers resume from the socket's events, outside the request's correlation scope.
  app.use((_req: Request, res: Response, next: NextFunction) => keepCorrelation(res, () => next()));
  // A body sent without Content-Length is only found too large while it is read.
  app.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    const tooBig = (error as { type?: string } | null)?.type === 'entity.too.large';
    keepCorrelation(res, () => next(tooBig ? tooLarge(plans.get(req)?.limit ?? DEFAULT_BODY_LIMIT_BYTES) : error));
  });
}
