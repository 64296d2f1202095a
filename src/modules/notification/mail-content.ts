import type { DigestLine, DigestToSend } from './digest.repository.js';
import type { NotificationToEmail } from './notification.repository.js';

/** The GraphQL field that opens each kind of subject, for links into the IDE. */
const FIELD: Record<string, string> = {
  Need: 'need(id: "%s") { title status description }',
  Idea: 'idea(id: "%s") { title status pledgedTotal fundingGoal }',
  Initiative: 'initiative(id: "%s") { title status }',
  Engagement: 'engagement(id: "%s") { status loggedHours timesheets { weekStart pendingHours } }',
};

export const itemLink = (base: string, line: Pick<DigestLine, 'subjectType' | 'subjectId'>) =>
  `${base}/graphiql?query=${encodeURIComponent(
    `{ ${(FIELD[line.subjectType] ?? 'me { name }').replace('%s', line.subjectId)} }`,
  )}`;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

/**
 * The digest as plain text and HTML: each notification with a link to its item (opened in the
 * service's GraphQL IDE), and for each kind it holds a link that stops e-mailing that kind.
 */
export function digestMail(
  digest: DigestToSend,
  lines: DigestLine[],
  base: string,
  unsubscribe: Map<string, string>,
): MailContent {
  const subject = `${lines.length} update${lines.length === 1 ? '' : 's'} for ${digest.day}`;
  const text = [
    `Hello ${digest.name},`,
    '',
    `What happened that concerns you (${digest.day}):`,
    '',
    ...lines.map((line) => `- ${line.message}\n  ${itemLink(base, line)}`),
    '',
    'Stop e-mailing:',
    ...[...unsubscribe].map(([kind, url]) => `- ${kind}: ${url}`),
  ].join('\n');
  const html = `<!doctype html><html><body>
<p>Hello ${escapeHtml(digest.name)},</p>
<p>What happened that concerns you (${digest.day}):</p>
<ul>${lines
    .map(
      (line) =>
        `<li><a href="${escapeHtml(itemLink(base, line))}">${escapeHtml(line.message)}</a></li>`,
    )
    .join('')}</ul>
<p>Stop e-mailing: ${[...unsubscribe]
    .map(([kind, url]) => `<a href="${escapeHtml(url)}">${kind}</a>`)
    .join(' · ')}</p>
</body></html>`;
  return { subject, text, html };
}

/** One notification e-mailed on its own, as soon as it happened. */
export function instantMail(
  notification: Pick<
    NotificationToEmail,
    'name' | 'message' | 'kind' | 'subjectType' | 'subjectId'
  >,
  base: string,
  unsubscribe: string,
): MailContent {
  const link = itemLink(base, notification);
  const text = [
    `Hello ${notification.name},`,
    '',
    notification.message,
    link,
    '',
    `Stop e-mailing ${notification.kind}: ${unsubscribe}`,
  ].join('\n');
  const html = `<!doctype html><html><body>
<p>Hello ${escapeHtml(notification.name)},</p>
<p><a href="${escapeHtml(link)}">${escapeHtml(notification.message)}</a></p>
<p><a href="${escapeHtml(unsubscribe)}">Stop e-mailing ${notification.kind}</a></p>
</body></html>`;
  // A subject is one line: a message never holds a newline, but a title could in the future.
  // Cut at 200 characters (code points): a cut inside a surrogate pair would reach the reader
  // as U+FFFD.
  const subject = Array.from(notification.message.replace(/\s+/g, ' ')).slice(0, 200).join('');
  return { subject, text, html };
}
