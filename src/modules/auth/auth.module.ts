import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { createSecretKey } from 'node:crypto';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { BearerAuthentication } from '../../common/auth/bearer-authentication.js';
import { AuditModule } from '../audit/audit.module.js';
import { EmployeeModule } from '../employee/employee.module.js';
import { AccessGuard } from './access.guard.js';
import { ActorCache } from './actor-cache.js';
import { AuthResolver } from './auth.resolver.js';
import { AuthService } from './auth.service.js';
import { RateLimitGuard } from './rate-limit.guard.js';
import { OidcVerifier } from './oidc.verifier.js';
import { TokenService } from './token.service.js';

@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      // A key object, not the string: jsonwebtoken would otherwise try the secret as a public
      // key first on every verification and fall back after the exception.
      useFactory: (config: AppConfig) => ({
        secret: createSecretKey(Buffer.from(config.jwt.secret)),
      }),
    }),
    AuditModule,
    EmployeeModule,
  ],
  providers: [
    TokenService,
    OidcVerifier,
    ActorCache,
    AuthService,
    AuthResolver,
    // The per-employee limit first: a flood is refused before the access guard reads anything.
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_GUARD, useClass: AccessGuard },
    { provide: BearerAuthentication, useExisting: AuthService },
  ],
  exports: [AuthService, TokenService, BearerAuthentication],
})
export class AuthModule {}
