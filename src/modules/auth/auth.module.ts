import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { AuditModule } from '../audit/audit.module.js';
import { EmployeeModule } from '../employee/employee.module.js';
import { AccessGuard } from './access.guard.js';
import { AuthResolver } from './auth.resolver.js';
import { AuthService } from './auth.service.js';
import { OidcVerifier } from './oidc.verifier.js';
import { TokenService } from './token.service.js';

@Module({
  imports: [JwtModule.register({}), AuditModule, EmployeeModule],
  providers: [
    TokenService,
    OidcVerifier,
    AuthService,
    AuthResolver,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [AuthService, TokenService],
})
export class AuthModule {}
