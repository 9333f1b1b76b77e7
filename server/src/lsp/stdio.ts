import { createConnection } from 'vscode-languageserver/node';
import { startServer } from './server';

export function startStdioServer(): void {
  startServer(createConnection(process.stdin, process.stdout));
}
