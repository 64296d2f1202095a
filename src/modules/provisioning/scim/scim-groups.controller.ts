import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Query,
  Req,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { Public } from '../../../common/auth/access.js';
import { scimBase } from './scim-base.js';
import { ScimExceptionFilter } from './scim-exception.filter.js';
import { ScimMediaType } from './scim-media-type.js';
import { ScimGuard, type ScimRequest } from './scim.guard.js';
import { ScimGroupsService } from './scim-groups.service.js';

type Json = Record<string, unknown>;

/** /scim/v2/Groups (RFC 7644 §3.2–3.6): teams and their members, for identity providers. */
@Controller('scim/v2/Groups')
@Public()
@UseGuards(ScimGuard)
@UseFilters(ScimExceptionFilter)
@ScimMediaType()
export class ScimGroupsController {
  constructor(private readonly groups: ScimGroupsService) {}

  @Get()
  list(@Query() query: Json, @Req() request: ScimRequest): Promise<Json> {
    return this.groups.list(query, scimBase(request));
  }

  @Get(':id')
  get(@Param('id') id: string, @Query() query: Json, @Req() request: ScimRequest): Promise<Json> {
    return this.groups.get(id, query, scimBase(request));
  }

  @Post()
  @HttpCode(201)
  create(@Body() body: unknown, @Req() request: ScimRequest): Promise<Json> {
    return this.groups.create(body, request.scimClient, scimBase(request));
  }

  @Put(':id')
  replace(
    @Param('id') id: string,
    @Body() body: unknown,
    @Req() request: ScimRequest,
  ): Promise<Json> {
    return this.groups.replace(id, body, request.scimClient, scimBase(request));
  }

  @Patch(':id')
  @HttpCode(204)
  patch(
    @Param('id') id: string,
    @Body() body: unknown,
    @Req() request: ScimRequest,
  ): Promise<void> {
    return this.groups.patch(id, body, request.scimClient);
  }

  @Delete(':id')
  @HttpCode(204)
  remove(@Param('id') id: string, @Req() request: ScimRequest): Promise<void> {
    return this.groups.remove(id, request.scimClient);
  }
}
