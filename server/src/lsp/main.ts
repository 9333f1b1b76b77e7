// Entry point the VS Code client starts (node IPC or stdio, chosen by the client's arguments).
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server';

startServer(createConnection(ProposedFeatures.all));
