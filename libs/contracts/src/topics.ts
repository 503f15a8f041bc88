/** Logical names of every topic the suite uses; the physical name may carry a prefix (see `physicalTopic`). */
export const TOPICS = {
  ledgerEvents: 'ledger.events.v1',
  clearingEvents: 'clearing.events.v1',
  settlementEvents: 'settlement.events.v1',
  incidentReported: 'incident.reported.v1',
  /** Agents' commands about an incident (re-check, forced re-issue), keyed by order number. */
  incidentCommands: 'incident.commands.v1',
  incidentDiscovered: 'incident.discovered.v1',
  incidentTriaged: 'incident.triaged.v1',
  cardKeyReissued: 'cardkey.reissued.v1',
  incidentSlaBreached: 'incident.sla-breached.v1',
  accessEvents: 'access.events.v1',
} as const;

export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];

/** Partition count per topic; every topic also has a `.dlq` twin with the same count. */
export const TOPIC_PARTITIONS: Record<TopicName, number> = {
  'ledger.events.v1': 6,
  'clearing.events.v1': 6,
  'settlement.events.v1': 3,
  'incident.reported.v1': 6,
  'incident.commands.v1': 6,
  'incident.discovered.v1': 3,
  'incident.triaged.v1': 6,
  'cardkey.reissued.v1': 3,
  'incident.sla-breached.v1': 3,
  'access.events.v1': 3,
};

/** Name of the dead-letter twin of a topic. */
export function dlqOf(topic: string): string {
  return `${topic}.dlq`;
}

/** Physical topic name for a logical one, given an optional prefix (used to isolate test runs). */
export function physicalTopic(prefix: string, topic: string): string {
  return prefix ? `${prefix}.${topic}` : topic;
}

/** Every topic and DLQ twin with its partition count. */
export function allTopicSpecs(prefix = ''): { topic: string; numPartitions: number }[] {
  return (Object.keys(TOPIC_PARTITIONS) as TopicName[]).flatMap((topic) => [
    { topic: physicalTopic(prefix, topic), numPartitions: TOPIC_PARTITIONS[topic] },
    { topic: physicalTopic(prefix, dlqOf(topic)), numPartitions: TOPIC_PARTITIONS[topic] },
  ]);
}
