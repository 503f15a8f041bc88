import { HttpStatus, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ApiError } from './api-error.js';

export type AgentRole = 'agent' | 'supervisor';

/** What a signed agent token says about its bearer. */
export interface AgentClaims {
  /** Session id (intake checks it is not revoked). */
  sid: string;
  sub: string;
  username: string;
  role: AgentRole;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

const b64 = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/**
 * Signs agent claims with HMAC-SHA256. Intake issues these at sign-in; every service
 * that shares AGENT_TOKEN_SECRET can check them without asking intake.
 */
export function signAgentToken(claims: AgentClaims, secret: string): string {
  const body = b64(JSON.stringify(claims));
  const signature = createHmac('sha256', secret).update(body).digest('base64url');
  return `pt1.${body}.${signature}`;
}

/** The claims of a well-signed, unexpired token, or null. */
export function verifyAgentToken(token: string, secret: string, now: Date = new Date()): AgentClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== 'pt1') return null;
  const expected = createHmac('sha256', secret).update(parts[1]!).digest();
  const given = Buffer.from(parts[2]!, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as AgentClaims;
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now.getTime()) return null;
    if (claims.role !== 'agent' && claims.role !== 'supervisor') return null;
    return claims;
  } catch {
    return null;
  }
}

/** The bearer token of a request, if any. */
export function bearerToken(req: Request): string | null {
  const header = req.header('authorization') ?? '';
  return header.startsWith('Bearer ') ? header.slice(7).trim() : null;
}

export const REQUIRED_ROLE = 'pt:required-role';

/** Marks a route as needing a signed-in agent (any role) or a supervisor. */
export const RequireRole = (role: AgentRole) => SetMetadata(REQUIRED_ROLE, role);

export function unauthorized(): ApiError {
  return new ApiError(HttpStatus.UNAUTHORIZED, 'UNAUTHORIZED', 'sign in as an agent: a valid bearer token is required');
}

export function forbidden(role: AgentRole): ApiError {
  return new ApiError(HttpStatus.FORBIDDEN, 'FORBIDDEN', `this action needs the ${role} role`);
}

/** Checks the role a route requires against the token's claims (attached as req.agent). */
export function checkRole(context: ExecutionContext, reflector: Reflector, claims: AgentClaims | null): boolean {
  const required = reflector.getAllAndOverride<AgentRole | undefined>(REQUIRED_ROLE, [context.getHandler(), context.getClass()]);
  if (!required) return true;
  if (!claims) throw unauthorized();
  if (required === 'supervisor' && claims.role !== 'supervisor') throw forbidden('supervisor');
  context.switchToHttp().getRequest<Request & { agent?: AgentClaims }>().agent = claims;
  return true;
}

/**
 * Guard for services that only check the signature (reconciliation): the token's role
 * must cover what the route requires.
 */
export class SignedAgentGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly secret: string,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const token = bearerToken(context.switchToHttp().getRequest<Request>());
    return checkRole(context, this.reflector, token ? verifyAgentToken(token, this.secret) : null);
  }
}
