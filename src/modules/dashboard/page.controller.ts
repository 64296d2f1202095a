import { Controller, Get, Header, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Public } from '../../common/auth/access.js';
import { notFound } from '../../common/errors/domain-error.js';

/** The page's own files live next to this module's sources (src/modules/dashboard/page). */
function pageDirectory(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return path.join(dir, 'src/modules/dashboard/page');
}

const PAGE_DIR = pageDirectory();
/** Chart.js, served by the service itself: the page works offline, no CDN. */
const CHART_JS = path.join(
  path.dirname(createRequire(import.meta.url).resolve('chart.js')),
  'chart.umd.min.js',
);
/** A Map, not an object: a name like `constructor` or `__proto__` must find nothing. */
const ASSETS = new Map<string, { file: string; type: string }>([
  ['app.js', { file: path.join(PAGE_DIR, 'app.js'), type: 'text/javascript; charset=utf-8' }],
  ['style.css', { file: path.join(PAGE_DIR, 'style.css'), type: 'text/css; charset=utf-8' }],
  ['chart.js', { file: CHART_JS, type: 'text/javascript; charset=utf-8' }],
]);
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'";

/** The dashboard page: it signs in and reads everything through the public GraphQL API. */
@Controller('dashboard')
@Public()
export class DashboardPageController {
  @Get()
  @Header('content-security-policy', CSP)
  page(@Res() response: Response): void {
    response.type('html').sendFile(path.join(PAGE_DIR, 'index.html'));
  }

  @Get(':asset')
  @Header('content-security-policy', CSP)
  asset(@Param('asset') name: string, @Res() response: Response): void {
    const asset = ASSETS.get(name);
    if (!asset) throw notFound('Page');
    response.type(asset.type).sendFile(asset.file);
  }
}
