import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, ValidateIf } from 'class-validator';
import { BaseServiceConfig } from './base.config.js';

const anyBuyerKey = (c: BuyerEdgeConfig) => !c.BUYER_TOKEN_SECRET && !c.BUYER_TOKEN_JWKS && !c.BUYER_TOKEN_JWKS_URL;

/**
 * Settings of the services that answer a shop's channels on a buyer's behalf (intake,
 * reconciliation): how buyer tokens are checked.
 */
export class BuyerEdgeConfig extends BaseServiceConfig {
  /** HS256 secret the shop signs buyer tokens with. One of the three key settings is required. */
  @ValidateIf((c: BuyerEdgeConfig) => c.BUYER_TOKEN_SECRET !== undefined || anyBuyerKey(c))
  @IsString({ message: 'BUYER_TOKEN_SECRET, BUYER_TOKEN_JWKS or BUYER_TOKEN_JWKS_URL is required to check buyer tokens' })
  @MinLength(32, { message: 'BUYER_TOKEN_SECRET must be at least 32 characters' })
  BUYER_TOKEN_SECRET?: string;

  /** The shop's public keys as a JWKS document: inline JSON, or the path of a file holding it. */
  @IsOptional()
  @IsString()
  BUYER_TOKEN_JWKS?: string;

  /** Where the shop publishes its JWKS (https; http only on loopback). */
  @IsOptional()
  @Matches(/^(https:\/\/\S+|http:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/\S*)?)$/, {
    message: 'BUYER_TOKEN_JWKS_URL must be an https URL (http only on loopback)',
  })
  BUYER_TOKEN_JWKS_URL?: string;

  /** The `iss` every buyer token must carry: the shop. */
  @IsString()
  @MinLength(1)
  BUYER_TOKEN_ISSUER: string = 'demo-shop';

  /** The `aud` every buyer token must carry: this suite. */
  @IsString()
  @MinLength(1)
  BUYER_TOKEN_AUDIENCE: string = 'payment-triage';

  /** Longest lifetime (exp − iat) a buyer token may have. */
  @Type(() => Number)
  @IsInt()
  @Min(30)
  @Max(86_400)
  BUYER_TOKEN_MAX_LIFETIME_SECONDS: number = 900;
}
