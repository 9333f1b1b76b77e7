import { fileURLToPath, pathToFileURL } from 'node:url';
import { isVirtualDocument } from '../engine/virtualDocs';

/** A file URI becomes its path; any other URI (`untitled:Untitled-1`) is kept as the document's key. */
export function URI_TO_PATH(uri: string): string {
  return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
}

/** The inverse of URI_TO_PATH: a key that is already a URI goes back unchanged. */
export function PATH_TO_URI(p: string): string {
  return isVirtualDocument(p) ? p : pathToFileURL(p).toString();
}
