import { hash, verify, type Options } from '@node-rs/argon2';

/**
 * OWASP's argon2id settings (19 MiB, 2 passes, 1 lane): memory-hard, about 20 ms here.
 * Argon2id is the library's default algorithm (its enum cannot be imported as a value).
 */
const ARGON2_OPTIONS: Options = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const hashPassword = (password: string): Promise<string> => hash(password, ARGON2_OPTIONS);

/**
 * Whether the password matches. A person without a password (provisioned from a directory, who
 * signs in through SSO) matches none, after as long as a wrong password takes.
 */
export async function verifyPassword(
  passwordHash: string | null,
  password: string,
): Promise<boolean> {
  if (passwordHash === null) return verifyAgainstDecoy(password);
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let decoyHash: Promise<string> | undefined;
/** Verifying against a throw-away hash makes an unknown e-mail cost as long as a wrong password. */
export async function verifyAgainstDecoy(password: string): Promise<false> {
  decoyHash ??= hashPassword('decoy-password-for-timing');
  await verifyPassword(await decoyHash, password);
  return false;
}
