import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { AppConfig } from '../../config/app-config.js';
import { InjectConfig } from '../../config/config.module.js';
import { REFUSED_SCRAPE, scrapeAllowed } from './metrics-access.js';
import { Metrics } from './metrics.js';

/**
 * /metrics on a port of its own (METRICS_PORT, on METRICS_HOST): away from the public one, so
 * that the load balancer never exposes it, and scrapes never wait behind the API's rate
 * limits. Asks for METRICS_TOKEN too when one is set.
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(MetricsServer.name);
  private server?: Server;

  constructor(
    private readonly metrics: Metrics,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { port, host, token } = this.config.metrics;
    const server = createServer((request, response) => {
      const path = (request.url ?? '/').split('?')[0];
      if (path !== '/metrics') return void response.writeHead(404).end();
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        return void response.writeHead(405, { allow: 'GET, HEAD' }).end();
      }
      if (!scrapeAllowed(token, request.headers.authorization)) {
        return void response
          .writeHead(REFUSED_SCRAPE.status, REFUSED_SCRAPE.headers)
          .end(REFUSED_SCRAPE.body);
      }
      this.metrics.exposition().then(
        ({ contentType, body }) =>
          response
            .writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' })
            .end(request.method === 'HEAD' ? undefined : body),
        (error: unknown) => {
          this.logger.error(`metrics scrape failed: ${(error as Error).message}`);
          response.writeHead(500).end();
        },
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.logger.log(`metrics at http://${host}:${this.port()}/metrics`);
  }

  /** The port it listens on (METRICS_PORT, or the one picked for 0). */
  port(): number | undefined {
    return (this.server?.address() as AddressInfo | null)?.port;
  }

  async beforeApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
