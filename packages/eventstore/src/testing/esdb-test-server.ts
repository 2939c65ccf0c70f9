// Finds an EventStoreDB server for the conformance suite: NRM_ESDB_URL if set, else a
// KurrentDB container through testcontainers if a container runtime answers, else a reason to skip.
export type EsdbTestServer = { url?: string; skipReason?: string; stop?: () => Promise<void> };

export async function esdbTestServer(): Promise<EsdbTestServer> {
  const fromEnv = process.env.NRM_ESDB_URL;
  if (fromEnv) return { url: fromEnv };
  const { GenericContainer, Wait, getContainerRuntimeClient } = await import('testcontainers');
  try {
    await getContainerRuntimeClient();
  } catch (error) {
    return { skipReason: `no EventStoreDB server: NRM_ESDB_URL is not set and no container runtime is reachable (${(error as Error).message.split('\n')[0]})` };
  }
  const container = await new GenericContainer(process.env.NRM_ESDB_IMAGE ?? 'eventstore/eventstore:24.10')
    .withEnvironment({ KURRENTDB_INSECURE: 'true', KURRENTDB_MEM_DB: 'true', KURRENTDB_RUN_PROJECTIONS: 'None', EVENTSTORE_INSECURE: 'true', EVENTSTORE_MEM_DB: 'true' })
    .withExposedPorts(2113)
    .withWaitStrategy(Wait.forHttp('/health/live', 2113).forStatusCode(204))
    .withStartupTimeout(120_000)
    .start();
  return {
    url: `esdb://${container.getHost()}:${container.getMappedPort(2113)}?tls=false`,
    stop: async () => {
      await container.stop();
    },
  };
}
