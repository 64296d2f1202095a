import { SetMetadata } from '@nestjs/common';

export const SIGN_IN_ATTEMPTS = 'rateLimit:signInAttempts';

/** Marks the sign-in mutation: its attempts are limited per address, far below other calls. */
export const SignInAttempts = (): MethodDecorator => SetMetadata(SIGN_IN_ATTEMPTS, true);
