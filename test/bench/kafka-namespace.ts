// A benchmark's own corner of a shared broker: everything it created (topics and consumer groups
// under one prefix) is deleted when it ends, and a failure to do so is reported, not thrown.
import { createKafkaBus } from '@nrm/bus';
import { newId } from '@nrm/contracts';

export function benchNamespace(): string {
  return `bench-${newId().toLowerCase()}.`;
}

/** A group that is already gone (the broker drops an empty group whose offsets went with its topics) is not a failure. */
function groupsNotDeleted(error: unknown): string[] {
  const groups = (error as { groups?: { groupId: string; error?: { type?: string } }[] }).groups ?? [];
  return groups.filter((group) => group.error && group.error.type !== 'GROUP_ID_NOT_FOUND').map((group) => `${group.groupId}: ${String(group.error)}`);
}

export async function deleteKafkaNamespace(brokers: string[], prefix: string): Promise<void> {
  const admin = createKafkaBus({ brokers, clientId: 'nrm-bench-cleanup' }).kafka.admin();
  try {
    await admin.connect();
    const groups = (await admin.listGroups()).groups.map((group) => group.groupId).filter((group) => group.startsWith(prefix));
    if (groups.length > 0) {
      await admin.deleteGroups(groups).catch((error: unknown) => {
        const failed = groupsNotDeleted(error);
        if (failed.length > 0) throw new Error(`groups not deleted: ${failed.join('; ')}`);
      });
    }
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 10_000 });
  } catch (error) {
    console.error(`could not delete the benchmark's Kafka topics and groups under ${prefix}: ${String(error)}`);
  } finally {
    await admin.disconnect();
  }
}
