import { once } from 'node:events';
import WebSocket from 'ws';

export interface RawSocket {
  ws: WebSocket;
  /** Resolves when the server closes the socket (or it fails), with the close code. */
  closed: Promise<{ code: number; reason: string }>;
  send(message: unknown): void;
  /** The next message the server sends, parsed. */
  next(): Promise<any>;
  close(): Promise<void>;
}

/**
 * A bare graphql-transport-ws socket, for what a well-behaved client library would never send:
 * oversized or malformed messages, no connection_init, floods.
 */
export async function openRawSocket(
  baseUrl: string,
  headers: Record<string, string> = {},
): Promise<RawSocket> {
  const ws = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/graphql`, 'graphql-transport-ws', {
    headers,
  });
  const messages: any[] = [];
  const waiting: ((message: any) => void)[] = [];
  ws.on('message', (data) => {
    const message = JSON.parse(String(data));
    const waiter = waiting.shift();
    if (waiter) waiter(message);
    else messages.push(message);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    ws.once('close', (code, reason) => resolve({ code, reason: String(reason) }));
    ws.once('error', () => undefined);
  });
  await Promise.race([once(ws, 'open'), closed]);
  return {
    ws,
    closed,
    send: (message) => ws.send(typeof message === 'string' ? message : JSON.stringify(message)),
    next: () =>
      messages.length > 0
        ? Promise.resolve(messages.shift())
        : new Promise((resolve, reject) => {
            waiting.push(resolve);
            void closed.then(({ code }) => reject(new Error(`closed with ${code}`)));
          }),
    close: async () => {
      if (ws.readyState === WebSocket.CLOSED) return;
      ws.close();
      await closed;
    },
  };
}

/** Opens a socket and completes the graphql-ws handshake with the token. */
export async function signedInSocket(baseUrl: string, token: string): Promise<RawSocket> {
  const socket = await openRawSocket(baseUrl);
  socket.send({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } });
  const ack = await socket.next();
  if (ack.type !== 'connection_ack') throw new Error(`not acknowledged: ${JSON.stringify(ack)}`);
  return socket;
}
