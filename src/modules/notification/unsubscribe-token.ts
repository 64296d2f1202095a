import { jwtVerify, SignJWT } from 'jose';

/** A different audience from session tokens': an unsubscribe link never signs anyone in. */
const AUDIENCE = 'mbd-unsubscribe';
const LIFETIME = '90d';

const key = (secret: string) => new TextEncoder().encode(secret);

/**
 * A link's token: stop e-mailing `kind` to `employeeId` (only through `channel` when given: the
 * digest's link for every kind stops the digest, not the kinds chosen to be e-mailed at once).
 * Signed with the service's secret.
 */
export function unsubscribeToken(
  secret: string,
  employeeId: string,
  kind: string,
  channel?: string,
): Promise<string> {
  return new SignJWT(channel ? { kind, channel } : { kind })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(employeeId)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(LIFETIME)
    .sign(key(secret));
}

/** What a link's token asks; undefined when it is forged, altered or expired. */
export async function readUnsubscribeToken(
  secret: string,
  token: string,
): Promise<{ employeeId: string; kind: string; channel?: string } | undefined> {
  try {
    const { payload } = await jwtVerify(token, key(secret), {
      audience: AUDIENCE,
      algorithms: ['HS256'],
    });
    if (typeof payload.sub !== 'string' || typeof payload.kind !== 'string') return undefined;
    const channel = typeof payload.channel === 'string' ? payload.channel : undefined;
    return { employeeId: payload.sub, kind: payload.kind, channel };
  } catch {
    return undefined;
  }
}
