// The Kafka adapter's figures (issue 4): produce and consume msgs/s through the adapter, and a
// referral's latency across two processes over Kafka. Needs a broker (KAFKA_BROKERS, or the one
// infra/kafka/kafka.sh starts on 127.0.0.1:9092); without one: no results, and why.
import { kafkaTestBrokers } from '@nrm/bus/testing';
import { benchKafkaReferralLatency } from './kafka-referral-latency.ts';
import { benchKafkaThroughput } from './kafka-throughput.ts';
import type { BenchResult } from './measure.ts';

export async function benchKafka(options: { quick: boolean }): Promise<BenchResult[]> {
  const found = await kafkaTestBrokers();
  if (!found.brokers) {
    console.log(`Kafka benchmarks skipped: ${found.skipReason}`);
    return [];
  }
  return [...(await benchKafkaThroughput(found.brokers, options)), ...(await benchKafkaReferralLatency(found.brokers, options))];
}
