import { SignInAttempts } from '../../common/rate-limit/sign-in-attempts.decorator.js';
import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { Public } from '../../common/auth/access.js';
import { LoginInput } from './dto/login.input.js';
import { LoginPayload } from './login.payload.js';
import { AuthService } from './auth.service.js';

@Resolver()
export class AuthResolver {
  constructor(private readonly auth: AuthService) {}

  @Mutation(() => LoginPayload, {
    description: 'Exchanges an e-mail and password for a bearer token.',
  })
  @Public()
  @SignInAttempts()
  login(@Args('input') input: LoginInput): Promise<LoginPayload> {
    return this.auth.login(input);
  }
}
