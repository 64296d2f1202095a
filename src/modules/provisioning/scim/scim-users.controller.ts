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
import { ScimUsersService } from './scim-users.service.js';

type Json = Record<string, unknown>;

/** /scim/v2/Users (RFC 7644 §3.2–3.6): employees, for identity providers. */
@Controller('scim/v2/Users')
@Public()
@UseGuards(ScimGuard)
@UseFilters(ScimExceptionFilter)
@ScimMediaType()
export class ScimUsersController {
  constructor(private readonly users: ScimUsersService) {}

  @Get()
  list(@Query() query: Json, @Req() request: ScimRequest): Promise<Json> {
    return this.users.list(query, scimBase(request));
  }

  @Get(':id')
  get(@Param('id') id: string, @Req() request: ScimRequest): Promise<Json> {
    return this.users.get(id, scimBase(request));
  }

  @Post()
  @HttpCode(201)
  create(@Body() body: unknown, @Req() request: ScimRequest): Promise<Json> {
    return this.users.create(body, request.scimClient, scimBase(request));
  }

  @Put(':id')
  replace(
    @Param('id') id: string,
    @Body() body: unknown,
    @Req() request: ScimRequest,
  ): Promise<Json> {
    return this.users.replace(id, body, request.scimClient, scimBase(request));
  }

  @Patch(':id')
  patch(
    @Param('id') id: string,
    @Body() body: unknown,
    @Req() request: ScimRequest,
  ): Promise<Json> {
    return this.users.patch(id, body, request.scimClient, scimBase(request));
  }

  @Delete(':id')
  @HttpCode(204)
  remove(@Param('id') id: string, @Req() request: ScimRequest): Promise<void> {
    return this.users.remove(id, request.scimClient);
  }
}
