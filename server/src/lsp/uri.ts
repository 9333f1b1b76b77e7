import { fileURLToPath, pathToFileURL } from 'node:url';

export function URI_TO_PATH(uri: string): string {
  return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
}

export function PATH_TO_URI(p: string): string {
  return pathToFileURL(p).toString();
}
