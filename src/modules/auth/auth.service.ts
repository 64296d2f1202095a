import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor.js';
import type {
  BearerAuthentication,
  VerifiedBearer,
} from '../../common/auth/bearer-authentication.js';
import { verifyAgainstDecoy, verifyPassword } from '../../common/auth/passwords.js';
import { unauthenticated } from '../../common/errors/domain-error.js';
import { UnitOfWork } from '../../common/unit-of-work/unit-of-work.js';
import { RateLimits } from '../../common/rate-limit/rate-limits.js';
import { SecurityLog } from '../audit/security-log.js';
import { EmployeeService } from '../employee/employee.service.js';
import type { AppConfig } from '../../config/app-config.js';
import { InjectConfig } from '../../config/config.module.js';
import { DEMO_PASSWORD } from '../seed/demo-organisation.js';
import type { LoginInput } from './dto/login.input.js';
import type { LoginPayload } from './login.payload.js';
import { OidcVerifier } from './oidc.verifier.js';
import { TokenService } from './token.service.js';

@Injectable()
export class AuthService implements BearerAuthentication {
  constructor(
    private readonly employees: EmployeeService,
    private readonly tokens: TokenService,
    private readonly oidc: OidcVerifier,
    private readonly unitOfWork: UnitOfWork,
    private readonly securityLog: SecurityLog,
    private readonly limits: RateLimits,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /**
   * One answer for an unknown e-mail and a wrong password, in about the same time. Throttled
   * per account and per address before any password is checked (RATE_LIMITED); failures are
   * recorded. In production the demo password is refused for everyone.
   */
  async login(input: LoginInput, address: string): Promise<LoginPayload> {
    const { email } = input;
    try {
      await this.limits.countSignIn(email, address);
    } catch (refusal) {
      await this.securityLog.failedSignIn({ email, address, reason: 'throttled' });
      throw refusal;
    }
    const credentials = await this.employees.findCredentials(email);
    const valid = credentials
      ? await verifyPassword(credentials.passwordHash, input.password)
      : await verifyAgainstDecoy(input.password);
    // Demo people (seeded where the service was once tried out) have a published password:
    // in production it opens nothing, whoever holds it.
    const published = this.config.nodeEnv === 'production' && input.password === DEMO_PASSWORD;
    if (!credentials || !valid || published) {
      const reason = !credentials
        ? 'unknown e-mail'
        : published
          ? 'published password'
          : 'wrong password';
      await this.securityLog.failedSignIn({ email, employeeId: credentials?.id, address, reason });
      throw unauthenticated('Wrong e-mail or password');
    }
    await this.limits.signInSucceeded(email, address);

    const { token, expiresAt } = await this.tokens.issue(credentials.id);
    await this.unitOfWork.run({ actor: { id: credentials.id } }, (tx) =>
      tx.record({ action: 'auth.login', subjectType: 'Employee', subjectId: credentials.id }),
    );
    return { token, expiresAt, employee: await this.employees.findById(credentials.id) };
  }

  /**
   * Who a request acts for, with every role that authorisation rules look at, in one
   * statement: teams led and belonged to, initiatives owned and joined. Loaded fresh for each
   * request, so a new role or a removal takes effect at once.
   */
  loadActor(id: string): Promise<Actor | undefined> {
    return this.employees.findActor(id);
  }

  /**
   * The actor behind a bearer token (ours, or the identity provider's when OIDC is configured);
   * UNAUTHENTICATED when missing, invalid, or for someone unknown.
   */
  async authenticate(authorization: unknown): Promise<Actor> {
    return (await this.verify(authorization)).actor;
  }

  /**
   * Whom a bearer token verifiably names, for the rate limits: our tokens' employee id, an
   * identity provider's verified e-mail; no database read; undefined if it does not verify
   * (a forged token naming someone counts for nobody, so it cannot use up their allowance).
   */
  async subjectOf(authorization: unknown): Promise<string | undefined> {
    const token = TokenService.fromAuthorization(authorization);
    if (!token) return undefined;
    try {
      if (this.oidc.issued(token)) return `oidc:${(await this.oidc.verify(token)).email}`;
      return (await this.tokens.verify(token)).employeeId;
    } catch {
      return undefined;
    }
  }

  /** The actor behind a bearer token, and when the token expires. */
  async verify(authorization: unknown): Promise<VerifiedBearer> {
    const token = TokenService.fromAuthorization(authorization);
    if (!token) throw unauthenticated();
    let employeeId: string | undefined;
    let expiresAt: Date;
    if (this.oidc.issued(token)) {
      const verified = await this.oidc.verify(token);
      employeeId = (await this.employees.findCredentials(verified.email))?.id;
      expiresAt = verified.expiresAt;
    } else {
      ({ employeeId, expiresAt } = await this.tokens.verify(token));
    }
    const actor = employeeId ? await this.loadActor(employeeId) : undefined;
    if (!actor) throw unauthenticated('The token belongs to no current employee');
    return { actor, expiresAt };
  }
}
