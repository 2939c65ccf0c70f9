// Test support for Bus adapters: the conformance suite every adapter runs, and where the Kafka
// tests (here and end to end) find a broker.
export * from './bus-conformance.ts';
export { kafkaTestBrokers } from '../kafka/kafka-test-brokers.ts';
export { freePort } from './free-port.ts';
