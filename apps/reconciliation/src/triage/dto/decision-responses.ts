import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { API_TIMESTAMP as TIMESTAMP } from '@pt/platform';

// The shapes of the decisions endpoint's answers for the OpenAPI document (see StoredDecision); the evidence is open-ended by design.

@ApiSchema({ name: 'Decision' })
class DecisionResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  incidentId!: string;

  @ApiProperty()
  orderNumber!: string;

  @ApiProperty({ example: 'AUTO_REISSUE' })
  outcome!: string;

  @ApiProperty()
  reasonCode!: string;

  @ApiProperty()
  explanation!: string;

  @ApiProperty({ description: 'the version of the triage rules that decided' })
  ruleVersion!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'the facts the rules saw (report, order, ledger, clearing, deliveries, issuances, and the order lines covered and owed), frozen when the decision was made',
  })
  evidence!: Record<string, unknown>;

  @ApiProperty({ type: String, nullable: true, description: 'the first card-key issuance the decision made (the lowest line), if any' })
  issuanceId!: string | null;

  @ApiProperty({
    type: [String],
    description: 'every card-key issuance the decision made, one per order line, lowest line first (an order of N units is owed N keys)',
  })
  issuanceIds!: string[];

  @ApiProperty(TIMESTAMP)
  decidedAt!: string;

  @ApiProperty({
    type: Number,
    nullable: true,
    minimum: 1,
    description: "the decision's number among the incident's decisions (1, 2, 3…); the order intake applies them in",
  })
  sequence!: number | null;
}

@ApiSchema({ name: 'Decisions' })
export class DecisionsResponse {
  @ApiProperty({ format: 'uuid' })
  incidentId!: string;

  @ApiProperty({ type: [DecisionResponse], description: 'newest last' })
  decisions!: DecisionResponse[];
}
