// The Kafka client authenticates to a real broker that demands it: a single-node KRaft broker
// (infra/kafka/kafka.sh) with a SASL/PLAIN listener beside its plaintext one. With the right
// NRM_KAFKA_SASL_* settings the bus creates its topics and carries a message; with a wrong
// password the broker refuses the connection and the client says so. Skipped, with why, where
// the Kafka jars or Java are missing.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../testing/free-port.ts';
import { createKafkaBus } from './kafka-bus.ts';
import { kafkaSecurityFromEnv } from './kafka-security.ts';
import { ensureTopics } from './kafka-topics.ts';

const run = promisify(execFile);
const KAFKA_DIR = join(import.meta.dirname, '..', '..', '..', '..', 'infra', 'kafka');
const KAFKA_SH = join(KAFKA_DIR, 'kafka.sh');
// kafka.sh keeps the jars it fetched here, and marks the set complete.
const jarsFetched = existsSync(join(process.env.NRM_KAFKA_CACHE ?? join(KAFKA_DIR, '.cache'), 'lib', '.complete'));
const java = await run('java', ['-version']).then(
  () => true,
  () => false,
);
const skipReason = !java ? 'no java on the PATH' : !jarsFetched ? 'the Kafka jars are not fetched (`bash infra/kafka/kafka.sh fetch`)' : null;

const USER = 'nrm-backbone';
const PASSWORD = 'correct-horse-battery';

describe.skipIf(skipReason !== null)(`Kafka client over SASL/PLAIN${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let saslBroker: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    const port = await freePort();
    const saslPort = await freePort();
    env = {
      ...process.env,
      NRM_KAFKA_PORT: String(port),
      NRM_KAFKA_CONTROLLER_PORT: String(await freePort()),
      NRM_KAFKA_SASL_PORT: String(saslPort),
      NRM_KAFKA_SASL_USERS: `${USER}:${PASSWORD},other:other-password`,
      NRM_KAFKA_DATA: mkdtempSync(join(tmpdir(), 'nrm-kafka-sasl-')),
    };
    await run('bash', [KAFKA_SH, 'start'], { env, timeout: 150_000 });
    saslBroker = `127.0.0.1:${saslPort}`;
  }, 160_000);
  afterAll(async () => {
    await run('bash', [KAFKA_SH, 'stop'], { env, timeout: 60_000 }).catch(() => undefined);
    rmSync(env.NRM_KAFKA_DATA!, { recursive: true, force: true });
  }, 70_000);

  it('creates the topics and carries a message with the configured credentials', async () => {
    const security = kafkaSecurityFromEnv({ NRM_KAFKA_SASL_MECHANISM: 'plain', NRM_KAFKA_SASL_USERNAME: USER, NRM_KAFKA_SASL_PASSWORD: PASSWORD });
    const bus = createKafkaBus({ brokers: [saslBroker], clientId: 'sasl-test', namespace: 'sasl.', security });
    const admin = bus.kafka.admin();
    const producer = bus.kafka.producer();
    try {
      await admin.connect();
      await ensureTopics(admin, bus.topics, { partitions: 1 });
      expect(await admin.listTopics()).toContain(bus.topics.ingress('intake'));
      await producer.connect();
      const [written] = await producer.send({ topic: bus.topics.rejections('intake'), acks: -1, messages: [{ key: 'k', value: 'over SASL' }] });
      expect(written?.errorCode).toBe(0);
    } finally {
      await producer.disconnect();
      await admin.disconnect();
      await bus.close();
    }
  }, 60_000);

  it('is refused by the broker with a wrong password, and says it was authentication', async () => {
    const security = kafkaSecurityFromEnv({ NRM_KAFKA_SASL_MECHANISM: 'plain', NRM_KAFKA_SASL_USERNAME: USER, NRM_KAFKA_SASL_PASSWORD: 'wrong' });
    const bus = createKafkaBus({ brokers: [saslBroker], clientId: 'sasl-test', security });
    const admin = bus.kafka.admin();
    try {
      await expect(admin.connect()).rejects.toThrow(/SASL PLAIN authentication failed|Authentication failed/i);
    } finally {
      await admin.disconnect().catch(() => undefined);
      await bus.close();
    }
  }, 60_000);
});
