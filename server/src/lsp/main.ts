// Entry point the VS Code client starts (node IPC or stdio, chosen by the client's arguments).
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';
import { tuneHeapForServer } from './heap';

tuneHeapForServer();
startServer(createConnection(ProposedFeatures.all));
