/** Injection tokens shared by every service. */
export const SERVICE_CONFIG = Symbol('SERVICE_CONFIG');
export const KAFKA_CLIENT = Symbol('KAFKA_CLIENT');
export const SERVICE_NAME = Symbol('SERVICE_NAME');
/** The service's FaultInjector (NO_FAULTS unless a fault plan was configured at start-up). */
export const FAULT_INJECTOR = Symbol('FAULT_INJECTOR');
