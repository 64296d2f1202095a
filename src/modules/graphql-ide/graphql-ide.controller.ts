import { Controller, Get, Header, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Public } from '../../common/auth/access.js';
import { notFound } from '../../common/errors/domain-error.js';
import { IDE_ASSETS, IDE_CSP, sendIdePage } from './graphql-ide-files.js';

/**
 * The GraphQL IDE (GraphiQL) at /graphiql, also what a browser gets from GET /graphql (see
 * GraphqlIdeModule). A static page: it signs in and runs everything through the public API.
 */
@Controller('graphiql')
@Public()
export class GraphqlIdeController {
  @Get()
  page(@Res() response: Response): void {
    sendIdePage(response);
  }

  @Get(':asset')
  @Header('content-security-policy', IDE_CSP)
  @Header('cache-control', 'no-cache')
  asset(@Param('asset') name: string, @Res() response: Response): void {
    const asset = IDE_ASSETS.get(name);
    if (!asset) throw notFound('Page');
    response.type(asset.type).sendFile(asset.file);
  }
}
