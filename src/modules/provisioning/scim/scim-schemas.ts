/** The URNs of RFC 7643 and 7644 this service speaks. */
export const SCHEMA = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  enterpriseUser: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  listResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  serviceProviderConfig: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
  resourceType: 'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
  schema: 'urn:ietf:params:scim:schemas:core:2.0:Schema',
} as const;

/** The most resources one list answers (RFC 7644 §3.4.2.4: the server may return fewer). */
export const MAX_PAGE = 200;

/** RFC 7644 §5: what this service supports, for clients that discover it. */
export const serviceProviderConfig = (base: string) => ({
  schemas: [SCHEMA.serviceProviderConfig],
  documentationUri: `${base}/ServiceProviderConfig`,
  patch: { supported: true },
  bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
  filter: { supported: true, maxResults: MAX_PAGE },
  changePassword: { supported: false },
  sort: { supported: false },
  etag: { supported: false },
  authenticationSchemes: [
    {
      type: 'oauthbearertoken',
      name: 'Bearer token',
      description: 'A token an admin creates with the createScimToken mutation.',
      primary: true,
    },
  ],
  meta: { resourceType: 'ServiceProviderConfig', location: `${base}/ServiceProviderConfig` },
});

export const resourceTypes = (base: string) => [
  {
    schemas: [SCHEMA.resourceType],
    id: 'User',
    name: 'User',
    endpoint: '/Users',
    description: 'An employee',
    schema: SCHEMA.user,
    schemaExtensions: [{ schema: SCHEMA.enterpriseUser, required: false }],
    meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/User` },
  },
  {
    schemas: [SCHEMA.resourceType],
    id: 'Group',
    name: 'Group',
    endpoint: '/Groups',
    description: 'A team and its members',
    schema: SCHEMA.group,
    meta: { resourceType: 'ResourceType', location: `${base}/ResourceTypes/Group` },
  },
];

type Attribute = Record<string, unknown>;
const attribute = (
  name: string,
  type: string,
  extra: Partial<Record<'required' | 'mutability' | 'uniqueness' | 'multiValued', unknown>> & {
    subAttributes?: Attribute[];
    description?: string;
  } = {},
): Attribute => ({
  name,
  type,
  multiValued: false,
  required: false,
  caseExact: false,
  mutability: 'readWrite',
  returned: 'default',
  uniqueness: 'none',
  ...extra,
});

/** RFC 7643 §7: the attributes this service keeps (a subset of each schema). */
export const schemas = (base: string) =>
  [
    {
      id: SCHEMA.user,
      name: 'User',
      description: 'An employee',
      attributes: [
        attribute('userName', 'string', { required: true, uniqueness: 'server' }),
        attribute('externalId', 'string', { uniqueness: 'server' }),
        attribute('name', 'complex', {
          subAttributes: [
            attribute('formatted', 'string'),
            attribute('givenName', 'string'),
            attribute('familyName', 'string'),
          ],
        }),
        attribute('displayName', 'string'),
        attribute('title', 'string'),
        attribute('active', 'boolean', {
          description:
            'false deactivates the employee (offboarding); true lets them sign in again.',
        }),
        attribute('emails', 'complex', {
          multiValued: true,
          description: 'The primary (else the first) address is the employee’s e-mail.',
          subAttributes: [
            attribute('value', 'string'),
            attribute('type', 'string'),
            attribute('primary', 'boolean'),
          ],
        }),
      ],
    },
    {
      id: SCHEMA.enterpriseUser,
      name: 'EnterpriseUser',
      description: 'The home team, by name, in the configured attribute (department by default)',
      attributes: ['department', 'division', 'organization', 'costCenter'].map((name) =>
        attribute(name, 'string'),
      ),
    },
    {
      id: SCHEMA.group,
      name: 'Group',
      description: 'A team',
      attributes: [
        attribute('displayName', 'string', { required: true, uniqueness: 'server' }),
        attribute('externalId', 'string', { uniqueness: 'server' }),
        attribute('members', 'complex', {
          multiValued: true,
          subAttributes: [
            attribute('value', 'string', { mutability: 'immutable' }),
            attribute('display', 'string', { mutability: 'readOnly' }),
          ],
        }),
      ],
    },
  ].map((schema) => ({
    schemas: [SCHEMA.schema],
    ...schema,
    meta: { resourceType: 'Schema', location: `${base}/Schemas/${schema.id}` },
  }));
