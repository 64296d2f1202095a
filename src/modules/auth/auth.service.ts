import { Injectable } from '@nestjs/common';
import type { Actor } from '../../common/auth/actor.js';
import type {
  BearerAuthentication,
  VerifiedBearer,
} from '../../common/auth/bearer-authentication.js';
import { hashPassword, verifyAgainstDecoy, verifyPassword } from '../../common/auth/passwords.js';
import { badInput, unauthenticated } from '../../common/errors/domain-error.js';
import { UnitOfWork } from '../../common/unit-of-work/unit-of-work.js';
import { RateLimits } from '../../common/rate-limit/rate-limits.js';
import { SecurityLog } from '../audit/security-log.js';
import { EmployeeService, type ActorSession } from '../employee/employee.service.js';
import type { AppConfig } from '../../config/app-config.js';
import { InjectConfig } from '../../config/config.module.js';
import { DEMO_PASSWORD } from '../seed/demo-organisation.js';
import type { ChangePasswordInput } from './dto/change-password.input.js';
import type { LoginInput } from './dto/login.input.js';
import type { LoginPayload } from './login.payload.js';
import type { SignOutEverywherePayload } from './sign-out.payload.js';
import { ActorCache } from './actor-cache.js';
import { OidcVerifier } from './oidc.verifier.js';
import { TokenService, type IssuedToken } from './token.service.js';

@Injectable()
export class AuthService implements BearerAuthentication {
  constructor(
    private readonly employees: EmployeeService,
    private readonly tokens: TokenService,
    private readonly oidc: OidcVerifier,
    private readonly unitOfWork: UnitOfWork,
    private readonly securityLog: SecurityLog,
    private readonly limits: RateLimits,
    private readonly actors: ActorCache,
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
    if (!credentials || !valid || published || credentials.deactivated) {
      const reason = !credentials
        ? 'unknown e-mail'
        : published
          ? 'published password'
          : !valid
            ? 'wrong password'
            : 'deactivated';
      await this.securityLog.failedSignIn({ email, employeeId: credentials?.id, address, reason });
      throw unauthenticated('Wrong e-mail or password');
    }
    await this.limits.signInSucceeded(email, address);

    const { token, expiresAt } = await this.tokens.issue(
      credentials.id,
      credentials.sessionVersion,
    );
    await this.unitOfWork.run({ actor: { id: credentials.id } }, (tx) =>
      tx.record({ action: 'auth.login', subjectType: 'Employee', subjectId: credentials.id }),
    );
    return { token, expiresAt, employee: await this.employees.findById(credentials.id) };
  }

  /**
   * A new password for the signed-in employee, who must give the current one (throttled like
   * sign-in, per employee and address; a wrong one is BAD_USER_INPUT on
   * `input.currentPassword` and changes nothing). Ends every session, and returns a fresh
   * token for the caller. Audited without either password.
   */
  async changeMyPassword(
    actor: Actor,
    input: ChangePasswordInput,
    address: string,
  ): Promise<LoginPayload> {
    const account = `employee:${actor.id}`;
    await this.limits.countSignIn(account, address);
    const credentials = await this.employees.credentialsOf(actor.id);
    if (!credentials || !(await verifyPassword(credentials.passwordHash, input.currentPassword))) {
      // Someone at an unlocked session guessing its owner's password: a security event.
      await this.securityLog.failedSignIn({
        email: account,
        employeeId: actor.id,
        address,
        reason: 'wrong current password',
      });
      throw badInput('input.currentPassword', 'The current password is wrong');
    }
    if (input.newPassword === input.currentPassword) {
      throw badInput('input.newPassword', 'The new password must differ from the current one');
    }
    await this.limits.signInSucceeded(account, address);
    const passwordHash = await hashPassword(input.newPassword);
    const version = await this.unitOfWork.run({ actor }, async (tx) => {
      const sessionVersion = await this.employees.setPasswordHash(tx, actor.id, passwordHash);
      await tx.record({
        action: 'auth.changePassword',
        subjectType: 'Employee',
        subjectId: actor.id,
        payload: { sessionVersion },
      });
      return sessionVersion;
    });
    const { token, expiresAt } = await this.tokens.issue(actor.id, version);
    return { token, expiresAt, employee: await this.employees.findById(actor.id) };
  }

  /** Ends every session of the signed-in employee, this request's token included. Audited. */
  async signOutEverywhere(employeeId: string, actor: Actor): Promise<SignOutEverywherePayload> {
    await this.unitOfWork.run({ actor }, async (tx) => {
      const sessionVersion = await this.employees.endSessions(tx, employeeId, 'employeeId');
      await tx.record({
        action: 'auth.signOutEverywhere',
        subjectType: 'Employee',
        subjectId: employeeId,
        payload: { sessionVersion },
      });
    });
    return { employee: await this.employees.findById(employeeId) };
  }

  /** A token for the employee under their current session version (tests, tools). */
  async tokenFor(employeeId: string): Promise<IssuedToken> {
    return this.tokens.issue(employeeId, await this.employees.sessionVersionOf(employeeId));
  }

  /**
   * Who a request acts for, with every role that authorisation rules look at, and their
   * session version, in one statement: teams led and belonged to, initiatives owned and
   * joined. Read afresh (and kept for queries: ActorCache), so a new role or a removal takes
   * effect at once, and a token from an ended session is refused at once; with `recent`, a
   * query may act on the actor an earlier request of this instance read (see ActorCache).
   */
  loadActor(id: string, recent = false): Promise<ActorSession | undefined> {
    const cached = recent ? this.actors.get(id) : undefined;
    if (cached) return Promise.resolve(cached);
    return this.actors.load(id, (employeeId) => this.employees.findActorSession(employeeId));
  }

  /**
   * The actor behind a bearer token (ours, or the identity provider's when OIDC is configured);
   * UNAUTHENTICATED when missing, invalid, or for someone unknown. `recent`: for a query,
   * which may act on an actor read moments ago (see loadActor).
   */
  async authenticate(authorization: unknown, recent = false): Promise<Actor> {
    return (await this.verify(authorization, recent)).actor;
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
  async verify(authorization: unknown, recent = false): Promise<VerifiedBearer> {
    const token = TokenService.fromAuthorization(authorization);
    if (!token) throw unauthenticated();
    let employeeId: string | undefined;
    let expiresAt: Date;
    // The identity provider's tokens carry no session version: it ends those sessions itself.
    let sessionVersion: number | undefined;
    if (this.oidc.issued(token)) {
      const verified = await this.oidc.verify(token);
      employeeId = (await this.employees.findCredentials(verified.email))?.id;
      expiresAt = verified.expiresAt;
    } else {
      ({ employeeId, expiresAt, sessionVersion } = await this.tokens.verify(token));
    }
    const session = employeeId ? await this.loadActor(employeeId, recent) : undefined;
    if (!session) throw unauthenticated('The token belongs to no current employee');
    if (sessionVersion !== undefined && sessionVersion !== session.sessionVersion) {
      throw unauthenticated(
        'The session has ended (signed out everywhere, or a new password or role): sign in again',
      );
    }
    return { actor: session.actor, expiresAt, sessionVersion };
  }
}
