// glob(3)-style matching: * ? [...] and {a,b} (keepalived passes GLOB_BRACE), for one path segment
// (includes) or a whole path with `**` (editor associations). Kept tiny on purpose; includes rarely need
// more.

export function hasGlobMagic(s: string): boolean {
  return /[*?[{]/.test(s);
}

/** One path segment: `*` and `?` never cross a `/`. */
export function globToRegExp(segment: string): RegExp {
  return compileGlob(segment, false);
}

/**
 * A whole-path glob as editors write them (`files.associations`): `**` spans folders, `*` and `?` stay
 * inside one name, `{a,b}` and `[...]` as above. Matches the full path (forward slashes).
 */
export function pathGlobToRegExp(pattern: string): RegExp {
  return compileGlob(pattern, true);
}

function compileGlob(pattern: string, globstar: boolean): RegExp {
  let re = '^';
  let braceDepth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (globstar && c === '*' && pattern[i + 1] === '*') {
      // `**/` is zero or more folders; a trailing `**` is anything.
      if (pattern[i + 2] === '/') {
        re += '(?:.*/)?';
        i += 2;
      } else {
        re += '.*';
        i += 1;
      }
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        let body = pattern.slice(i + 1, end);
        if (body.startsWith('!')) body = '^' + body.slice(1);
        re += '[' + body.replace(/\\/g, '\\\\') + ']';
        i = end;
      }
    } else if (c === '{') {
      braceDepth++;
      re += '(?:';
    } else if (c === '}' && braceDepth > 0) {
      braceDepth--;
      re += ')';
    } else if (c === ',' && braceDepth > 0) re += '|';
    else re += c.replace(/[.+^$()|\\/]/g, '\\$&');
  }
  while (braceDepth-- > 0) re += ')';
  return new RegExp(re + '$');
}
