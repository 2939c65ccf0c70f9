// The Kafka client's TLS and SASL settings from the environment: what each combination gives,
// and a clear refusal for every setting that cannot work.
import { describe, expect, it } from 'vitest';
import { KafkaSecurityError, describeKafkaSecurity, kafkaSecurityFromEnv } from './kafka-security.ts';

const files: Record<string, string> = { '/etc/nrm/ca.pem': 'CA PEM', '/etc/nrm/client.pem': 'CERT PEM', '/etc/nrm/client.key': 'KEY PEM', '/run/secrets/kafka': 'pa55word\n' };
const readFile = (path: string) => {
  const content = files[path];
  if (content === undefined) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
  return content;
};
const from = (env: Record<string, string>) => kafkaSecurityFromEnv(env, readFile);

describe('kafkaSecurityFromEnv', () => {
  it('is plaintext without settings', () => {
    expect(from({})).toEqual({});
    expect(from({ NRM_KAFKA_TLS: 'false' })).toEqual({});
    expect(describeKafkaSecurity(from({}))).toBe('plaintext');
  });

  it('turns TLS on with the system CAs, or with given CAs and a client certificate, always verifying', () => {
    expect(from({ NRM_KAFKA_TLS: 'true' })).toEqual({ ssl: true });
    expect(from({ NRM_KAFKA_TLS_CA_FILE: '/etc/nrm/ca.pem' })).toEqual({ ssl: { rejectUnauthorized: true, ca: 'CA PEM' } });
    const mutual = from({ NRM_KAFKA_TLS_CA_FILE: '/etc/nrm/ca.pem', NRM_KAFKA_TLS_CERT_FILE: '/etc/nrm/client.pem', NRM_KAFKA_TLS_KEY_FILE: '/etc/nrm/client.key' });
    expect(mutual).toEqual({ ssl: { rejectUnauthorized: true, ca: 'CA PEM', cert: 'CERT PEM', key: 'KEY PEM' } });
    expect(describeKafkaSecurity(mutual)).toBe('TLS with a client certificate');
  });

  it('takes SASL PLAIN or SCRAM with a password inline or from a file (trailing newline dropped)', () => {
    expect(from({ NRM_KAFKA_SASL_MECHANISM: 'PLAIN', NRM_KAFKA_SASL_USERNAME: 'nrm', NRM_KAFKA_SASL_PASSWORD: 'x' })).toEqual({ sasl: { mechanism: 'plain', username: 'nrm', password: 'x' } });
    const scram = from({ NRM_KAFKA_TLS: 'true', NRM_KAFKA_SASL_MECHANISM: 'scram-sha-512', NRM_KAFKA_SASL_USERNAME: 'nrm', NRM_KAFKA_SASL_PASSWORD_FILE: '/run/secrets/kafka' });
    expect(scram).toEqual({ ssl: true, sasl: { mechanism: 'scram-sha-512', username: 'nrm', password: 'pa55word' } });
    expect(describeKafkaSecurity(scram)).toBe('TLS, SASL scram-sha-512 as nrm');
    expect(describeKafkaSecurity(scram)).not.toContain('pa55word');
  });

  it('refuses settings that cannot work, saying which', () => {
    const refusals: [Record<string, string>, RegExp][] = [
      [{ NRM_KAFKA_TLS: 'yes' }, /NRM_KAFKA_TLS=yes: use true or false/],
      [{ NRM_KAFKA_TLS_CA_FILE: '/nope.pem' }, /NRM_KAFKA_TLS_CA_FILE=\/nope.pem: cannot read it \(ENOENT\)/],
      [{ NRM_KAFKA_TLS_CERT_FILE: '/etc/nrm/client.pem' }, /needs both/],
      [{ NRM_KAFKA_TLS: 'false', NRM_KAFKA_TLS_CA_FILE: '/etc/nrm/ca.pem' }, /NRM_KAFKA_TLS=false, yet TLS files/],
      [{ NRM_KAFKA_SASL_USERNAME: 'nrm', NRM_KAFKA_SASL_PASSWORD: 'x' }, /without NRM_KAFKA_SASL_MECHANISM/],
      [{ NRM_KAFKA_SASL_MECHANISM: 'gssapi', NRM_KAFKA_SASL_USERNAME: 'nrm', NRM_KAFKA_SASL_PASSWORD: 'x' }, /gssapi: use plain, scram-sha-256 or scram-sha-512/],
      [{ NRM_KAFKA_SASL_MECHANISM: 'plain', NRM_KAFKA_SASL_USERNAME: 'nrm' }, /needs NRM_KAFKA_SASL_USERNAME and NRM_KAFKA_SASL_PASSWORD/],
      [{ NRM_KAFKA_SASL_MECHANISM: 'plain', NRM_KAFKA_SASL_USERNAME: 'nrm', NRM_KAFKA_SASL_PASSWORD: 'x', NRM_KAFKA_SASL_PASSWORD_FILE: '/run/secrets/kafka' }, /give the SASL password once/],
    ];
    for (const [env, message] of refusals) {
      expect(() => from(env), JSON.stringify(env)).toThrow(KafkaSecurityError);
      expect(() => from(env), JSON.stringify(env)).toThrow(message);
    }
  });
});
