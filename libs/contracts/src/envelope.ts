import { IsISO8601, IsInt, IsNotEmpty, IsObject, IsString, IsUUID, Max, Min } from 'class-validator';

/** The wrapper every Kafka message value carries. */
export class EventEnvelope<P = Record<string, unknown>> {
  @IsUUID()
  eventId!: string;

  @IsString()
  @IsNotEmpty()
  type!: string;

  @IsInt()
  @Min(1)
  @Max(1000)
  schemaVersion!: number;

  @IsISO8601({ strict: true })
  occurredAt!: string;

  @IsString()
  @IsNotEmpty()
  correlationId!: string;

  @IsObject()
  payload!: P;
}
