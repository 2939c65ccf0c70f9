export * from './delivery.ts';
export { createEmbeddedBus } from './embedded-bus.ts';
export type { EmbeddedBusOptions } from './embedded-bus.ts';
export * from './port.ts';
