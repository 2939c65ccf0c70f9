// Where the Kafka tests find a broker: KAFKA_BROKERS (a comma-separated list), else the local
// broker infra/kafka/kafka.sh starts on 127.0.0.1:9092 if it answers, else a single-node KRaft
// broker in a container through testcontainers where a container runtime answers, else a reason
// to skip. One container per test process, shared by its suites; testcontainers reaps it on exit.
import { connect } from 'node:net';
import { freePort } from '../testing/free-port.ts';

export type KafkaTestBrokers = { brokers?: string[]; skipReason?: string };

let container: Promise<KafkaTestBrokers> | null = null;

function answers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 1000 }, () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

async function kafkaContainer(): Promise<KafkaTestBrokers> {
  const { GenericContainer, Wait, getContainerRuntimeClient } = await import('testcontainers');
  try {
    await getContainerRuntimeClient();
  } catch (error) {
    return { skipReason: `no Kafka broker: KAFKA_BROKERS is not set, nothing answers on 127.0.0.1:9092 (start one with \`bash infra/kafka/kafka.sh start\`) and no container runtime is reachable (${(error as Error).message.split('\n')[0]})` };
  }
  // The broker must advertise the address clients reach it at: fix the host port before starting.
  const port = await freePort();
  await new GenericContainer(process.env.NRM_KAFKA_IMAGE ?? 'apache/kafka:3.9.1')
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://127.0.0.1:${port}`,
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
    })
    .withExposedPorts({ container: 9092, host: port })
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .withStartupTimeout(120_000)
    .start();
  return { brokers: [`127.0.0.1:${port}`] };
}

export async function kafkaTestBrokers(): Promise<KafkaTestBrokers> {
  const fromEnv = process.env.KAFKA_BROKERS;
  if (fromEnv) return { brokers: fromEnv.split(',').map((broker) => broker.trim()).filter(Boolean) };
  if (await answers('127.0.0.1', 9092)) return { brokers: ['127.0.0.1:9092'] };
  container ??= kafkaContainer();
  return container;
}
