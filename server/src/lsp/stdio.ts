import { createConnection } from 'vscode-languageserver/node';
import { startServer } from './server';
import { tuneHeapForServer } from './heap';

export function startStdioServer(): void {
  tuneHeapForServer();
  startServer(createConnection(process.stdin, process.stdout));
}
