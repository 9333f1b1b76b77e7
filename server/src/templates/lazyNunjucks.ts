// nunjucks (~120 KB of the CLI bundle) is loaded when a template is first rendered: imported, it was
// initialised at every start of `haconf check`, templates or not.
import type * as Nunjucks from 'nunjucks';

export type { Nunjucks };

let lib: typeof Nunjucks | undefined;

export function nunjucks(): typeof Nunjucks {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  lib ??= require('nunjucks') as typeof Nunjucks;
  return lib;
}
