import { Controller, Get, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { AppConfig } from '../../config/app-config.js';
import { InjectConfig } from '../../config/config.module.js';
import { Public } from '../auth/access.js';
import { REFUSED_SCRAPE, scrapeAllowed } from './metrics-access.js';
import { Metrics } from './metrics.js';

/**
 * GET /metrics on the service's own port, for Prometheus: only mounted with METRICS_TOKEN
 * (and no METRICS_PORT), and answered only to requests bearing it. Not an employee's route:
 * the token is the operator's, not a session.
 */
@Controller('metrics')
@Public()
export class MetricsController {
  constructor(
    private readonly metrics: Metrics,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  @Get()
  async scrape(@Req() request: Request, @Res() response: Response): Promise<void> {
    if (!scrapeAllowed(this.config.metrics.token, request.headers.authorization)) {
      response.status(REFUSED_SCRAPE.status).set(REFUSED_SCRAPE.headers).send(REFUSED_SCRAPE.body);
      return;
    }
    const { contentType, body } = await this.metrics.exposition();
    response.status(200).set({ 'content-type': contentType, 'cache-control': 'no-store' });
    response.send(body);
  }
}
