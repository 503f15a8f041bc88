import { IsIn, IsISO8601, IsNotEmpty, IsString, IsUUID, Matches, MaxLength } from 'class-validator';

export const CHANNEL_CLIENT_KEY_CHANGED_TYPE = 'access.channel-client-key-changed';

/**
 * A channel client's key was created, or revoked (also by a rotation): published by
 * intake, which owns channel clients, so that reconciliation accepts the same keys on the
 * buyer's reveal. Carries the key's SHA-256, never the key. Keyed by client id.
 */
export class ChannelClientKeyChangedV1 {
  @IsUUID()
  clientId!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  clientName!: string;

  @IsUUID()
  keyId!: string;

  @Matches(/^[0-9a-f]{64}$/, { message: 'keyHash must be a SHA-256 in lowercase hex' })
  keyHash!: string;

  @IsIn(['ACTIVE', 'REVOKED'])
  status!: 'ACTIVE' | 'REVOKED';

  @IsISO8601({ strict: true })
  changedAt!: string;
}
