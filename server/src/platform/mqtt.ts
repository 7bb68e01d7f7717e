// MQTT: with no MQTT_URL an embedded aedes broker is started; the server always talks
// to the broker as an ordinary client, so an external Mosquitto/EMQX works the same.
import net from 'node:net';
import { Aedes } from 'aedes';
import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from 'pino';
import { firstFreePort } from './ports.js';

export interface EmbeddedBroker {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startEmbeddedBroker(options: {
  preferredPort: number;
  log: Logger;
}): Promise<EmbeddedBroker> {
  const port = options.preferredPort === 0 ? 0 : await firstFreePort(options.preferredPort);
  if (port !== options.preferredPort) {
    options.log.warn(
      { preferredPort: options.preferredPort, port },
      `port ${options.preferredPort} is in use (another MQTT broker?); embedded broker moves to ${port} (set MQTT_PORT or MQTT_URL)`,
    );
  }
  const broker = new Aedes();
  await broker.listen();
  const server = net.createServer(broker.handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  options.log.info({ port: actualPort }, 'embedded MQTT broker started');
  return {
    port: actualPort,
    url: `mqtt://127.0.0.1:${actualPort}`,
    stop: () =>
      new Promise<void>((resolve) => {
        broker.close(() => server.close(() => resolve()));
      }),
  };
}

export interface BrokerConnection {
  client: MqttClient;
  isConnected(): boolean;
  stop(): Promise<void>;
}

export async function connectBroker(url: string, log: Logger): Promise<BrokerConnection> {
  const client = await mqtt.connectAsync(url, {
    clientId: `pitwall-${process.pid}-${Math.random().toString(16).slice(2, 8)}`,
    reconnectPeriod: 2000,
    connectTimeout: 5000,
  });
  client.on('error', (error) => log.warn({ err: error }, 'MQTT client error'));
  return {
    client,
    isConnected: () => client.connected,
    stop: () => client.endAsync(),
  };
}
