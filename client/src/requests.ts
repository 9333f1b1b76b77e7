// The client's side of server/src/protocol.ts: requests and handlers typed by the method descriptors, so
// the extension never names a method by its string or repeats the server's shapes.
import type { CancellationToken, Disposable } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { NotificationMethod, RequestMethod } from '../../server/src/protocol';

export function sendRequest<P, R>(client: LanguageClient, request: RequestMethod<P, R>, params: P, token?: CancellationToken): Promise<R> {
  return token ? client.sendRequest<R>(request.method, params, token) : client.sendRequest<R>(request.method, params);
}

export function sendNotification<P>(client: LanguageClient, notification: NotificationMethod<P>, params: P): Promise<void> {
  return client.sendNotification(notification.method, params);
}

/** Answers a server → client request. */
export function onRequest<P, R>(client: LanguageClient, request: RequestMethod<P, R>, handler: (params: P) => R | Promise<R>): Disposable {
  return client.onRequest(request.method, handler as (params: unknown) => unknown);
}

export function onNotification<P>(client: LanguageClient, notification: NotificationMethod<P>, handler: (params: P) => void): Disposable {
  return client.onNotification(notification.method, handler);
}
