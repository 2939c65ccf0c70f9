// Where the Kafka tests find a broker: KAFKA_BROKERS (a comma-separated list), else the local
// broker infra/kafka/kafka.sh starts on 127.0.0.1:9092 if it answers, else a reason to skip.
import { connect } from 'node:net';

export async function kafkaTestBrokers(): Promise<{ brokers?: string[]; skipReason?: string }> {
  const fromEnv = process.env.KAFKA_BROKERS;
  if (fromEnv) return { brokers: fromEnv.split(',').map((broker) => broker.trim()).filter(Boolean) };
  const answers = await new Promise<boolean>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port: 9092, timeout: 1000 }, () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
  if (answers) return { brokers: ['127.0.0.1:9092'] };
  return { skipReason: 'no Kafka broker: KAFKA_BROKERS is not set and nothing answers on 127.0.0.1:9092 (start one with `bash infra/kafka/kafka.sh start`)' };
}
