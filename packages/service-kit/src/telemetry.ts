// OpenTelemetry, only when an OTLP endpoint is configured: the SDK then reads the standard
// OTEL_* variables (exporter protocol, headers, sampler) itself. Without one, nothing is
// loaded and the API stays the no-op it is by default, so tests and demos pay nothing.
export type Telemetry = {
  enabled: boolean;
  /** Flushes pending spans; call it before the process exits. */
  shutdown: () => Promise<void>;
};

export async function startTelemetry(options: { serviceName: string; env?: NodeJS.ProcessEnv }): Promise<Telemetry> {
  const env = options.env ?? process.env;
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT) return { enabled: false, shutdown: async () => {} };
  // Loaded lazily: the SDK and its exporters are heavy and most runs never need them.
  const { NodeSDK } = await import('@opentelemetry/sdk-node');
  const sdk = new NodeSDK({ serviceName: env.OTEL_SERVICE_NAME ?? options.serviceName });
  sdk.start();
  return { enabled: true, shutdown: () => sdk.shutdown() };
}
