// Which files are Jinja2 templates of a config. A template keeps the config's own name plus a template
// suffix (`haproxy.cfg.j2`, `keepalived.conf.jinja2`), or sits in an Ansible role's `templates/` folder
// (`roles/lb/templates/haproxy.cfg`). Detection strips the suffix and then decides the language as for any
// config (engine/detect.ts); the check masks the Jinja syntax first (templates/mask.ts).
import * as path from 'node:path';

const TEMPLATE_SUFFIX = /\.(j2|jinja2?)$/i;

/** The path without its template suffix (`/r/haproxy.cfg.j2` → `/r/haproxy.cfg`); unchanged when it has none. */
export function stripTemplateSuffix(file: string): string {
  return file.replace(TEMPLATE_SUFFIX, '');
}

/** True when the name ends in `.j2`, `.jinja` or `.jinja2`. */
export function hasTemplateSuffix(file: string): boolean {
  return TEMPLATE_SUFFIX.test(file);
}

/** True for a file directly in a folder named `templates`, or anywhere under a role's `roles/<name>/templates/`. */
export function inTemplatesFolder(file: string): boolean {
  const dirs = path.dirname(file).split(/[\\/]/);
  if (dirs[dirs.length - 1] === 'templates') return true;
  for (let i = 0; i + 2 < dirs.length; i++) if (dirs[i] === 'roles' && dirs[i + 2] === 'templates') return true;
  return false;
}

/** True when the file is (or may be) a Jinja2 template: the check masks Jinja syntax in it before parsing. */
export function isTemplatePath(file: string): boolean {
  return hasTemplateSuffix(file) || inTemplatesFolder(file);
}
