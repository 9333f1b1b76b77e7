// The server's side of protocol.ts: handlers and outgoing messages typed by the method descriptors, so
// no handler names a method by its string or declares its own params and result shapes.
import type { CancellationToken, Connection } from 'vscode-languageserver/node';
import type { NotificationMethod, RequestMethod } from '../protocol';

/** Answers a client request. Params come from the client: handlers still check what they read. */
export function onRequest<P, R>(connection: Connection, request: RequestMethod<P, R>, handler: (params: P, token: CancellationToken) => R | Promise<R>): void {
  // The library's handler type cannot follow a generic result through its conditional type; the descriptor
  // already ties params and result together.
  connection.onRequest(request.method, handler as (params: unknown, token: CancellationToken) => unknown);
}

export function onNotification<P>(connection: Connection, notification: NotificationMethod<P>, handler: (params: P) => void): void {
  connection.onNotification(notification.method, handler);
}

/** Asks the client (server → client request). */
export function sendRequest<P, R>(connection: Connection, request: RequestMethod<P, R>, params: P): Promise<R> {
  return connection.sendRequest<R>(request.method, params);
}

export function sendNotification<P>(connection: Connection, notification: NotificationMethod<P>, params: P): Promise<void> {
  return connection.sendNotification(notification.method, params);
}
