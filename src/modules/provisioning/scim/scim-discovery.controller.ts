import { Controller, Get, Param, Req, UseFilters, UseGuards } from '@nestjs/common';
import { Public } from '../../../common/auth/access.js';
import { scimBase } from './scim-base.js';
import { ScimError } from './scim-error.js';
import { ScimExceptionFilter } from './scim-exception.filter.js';
import { ScimMediaType } from './scim-media-type.js';
import { resourceTypes, schemas, SCHEMA, serviceProviderConfig } from './scim-schemas.js';
import { ScimGuard, type ScimRequest } from './scim.guard.js';

const list = (resources: Record<string, unknown>[]) => ({
  schemas: [SCHEMA.listResponse],
  totalResults: resources.length,
  startIndex: 1,
  itemsPerPage: resources.length,
  Resources: resources,
});

function one<T extends { id: string }>(resources: T[], id: string): T {
  const found = resources.find((resource) => resource.id === id);
  if (!found) throw new ScimError(404, `${id} not found`);
  return found;
}

/** RFC 7644 §4: what the service supports, behind the same token as the resources. */
@Controller('scim/v2')
@Public()
@UseGuards(ScimGuard)
@UseFilters(ScimExceptionFilter)
@ScimMediaType()
export class ScimDiscoveryController {
  @Get('ServiceProviderConfig')
  serviceProviderConfig(@Req() request: ScimRequest) {
    return serviceProviderConfig(scimBase(request));
  }

  @Get('ResourceTypes')
  resourceTypes(@Req() request: ScimRequest) {
    return list(resourceTypes(scimBase(request)));
  }

  @Get('ResourceTypes/:id')
  resourceType(@Param('id') id: string, @Req() request: ScimRequest) {
    return one(resourceTypes(scimBase(request)), id);
  }

  @Get('Schemas')
  schemas(@Req() request: ScimRequest) {
    return list(schemas(scimBase(request)));
  }

  @Get('Schemas/:id')
  schema(@Param('id') id: string, @Req() request: ScimRequest) {
    return one(schemas(scimBase(request)), id);
  }
}
