// `nrm start`'s Kafka settings: the bus URL and the client's TLS/SASL variables are checked
// before anything starts, and a setting that cannot work is a message naming it.
import { describe, expect, it } from 'vitest';
import { CliError } from './cli-error.ts';
import { resolveStartConfig } from './config.ts';

describe('resolveStartConfig: Kafka', () => {
  it('reads brokers, namespace and SASL settings for a Kafka bus', () => {
    const config = resolveStartConfig('intake', { bus: 'kafka://127.0.0.1:9095?namespace=test.' }, { NRM_KAFKA_SASL_MECHANISM: 'scram-sha-256', NRM_KAFKA_SASL_USERNAME: 'nrm-intake', NRM_KAFKA_SASL_PASSWORD: 's3cret' });
    expect(config).toMatchObject({ kafkaBrokers: ['127.0.0.1:9095'], kafkaNamespace: 'test.', kafkaSecurity: { sasl: { mechanism: 'scram-sha-256', username: 'nrm-intake', password: 's3cret' } } });
  });

  it('ignores Kafka security settings on the embedded bus', () => {
    expect(resolveStartConfig(null, {}, { NRM_KAFKA_SASL_MECHANISM: 'gssapi' }).kafkaSecurity).toEqual({});
  });

  it('refuses a setting that cannot work, naming the variable', () => {
    const start = (env: Record<string, string>) => () => resolveStartConfig('intake', { bus: 'kafka://127.0.0.1:9092' }, env);
    expect(start({ NRM_KAFKA_SASL_MECHANISM: 'gssapi', NRM_KAFKA_SASL_USERNAME: 'a', NRM_KAFKA_SASL_PASSWORD: 'b' })).toThrow(CliError);
    expect(start({ NRM_KAFKA_SASL_MECHANISM: 'gssapi', NRM_KAFKA_SASL_USERNAME: 'a', NRM_KAFKA_SASL_PASSWORD: 'b' })).toThrow(/NRM_KAFKA_SASL_MECHANISM=gssapi/);
    expect(start({ NRM_KAFKA_TLS_CA_FILE: '/nonexistent/ca.pem' })).toThrow(/NRM_KAFKA_TLS_CA_FILE=\/nonexistent\/ca.pem: cannot read it/);
  });
});
