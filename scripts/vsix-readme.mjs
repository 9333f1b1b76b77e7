// The README the .vsix carries (extension/readme.md), made from README.marketplace.md at packaging time.
// VS Code shows an installed extension's README in a webview that loads images only from https: or data:
// URLs and has no base folder, so a relative `docs/screenshots/x.png` would show as a broken image, and a
// https URL needs the network. The screenshots are therefore inlined as data: URLs (the package needs no
// network to show its page), and relative links to other files (docs/rules.md, …) point at the repository
// named in package.json, the way @vscode/vsce rewrites them for the Marketplace.
import { readFileSync } from 'node:fs';
import { dirname, extname, join, posix, resolve } from 'node:path';

const IMAGE_TYPES = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif' };

/** https://github.com/o/r/blob/main for a package.json `repository` on GitHub, else undefined. */
export function repositoryBlobBase(pkg) {
  const url = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  const m = /github\.com[/:]([^/]+\/[^/]+?)(?:\.git)?\/?$/.exec(url ?? '');
  return m ? `https://github.com/${m[1]}/blob/main` : undefined;
}

/**
 * `text` (the Markdown of `readmePath`) with every relative image inlined and every relative link made absolute.
 * Throws, naming the image, when an image is missing or not a PNG/JPEG/GIF (SVG is refused by VS Code).
 */
export function vsixReadme(text, readmePath, pkg) {
  const base = dirname(resolve(readmePath));
  const blob = repositoryBlobBase(pkg);
  const relative = (link) => !/^[a-z][a-z0-9+.-]*:/i.test(link) && !link.startsWith('#');
  return text.replace(/(!?)\[([^\]]*)\]\(([^)\s]+)\)/g, (all, bang, label, link) => {
    if (!relative(link)) return all;
    if (bang) {
      const file = join(base, link);
      const type = IMAGE_TYPES[extname(file).toLowerCase()];
      if (!type) throw new Error(`${readmePath}: image ${link} is not a PNG, JPEG or GIF`);
      let bytes;
      try {
        bytes = readFileSync(file);
      } catch {
        throw new Error(`${readmePath}: image ${link} not found (${file})`);
      }
      return `![${label}](data:${type};base64,${bytes.toString('base64')})`;
    }
    if (!blob) throw new Error(`${readmePath}: link ${link} is relative and package.json names no GitHub repository`);
    return `[${label}](${blob}/${posix.normalize(link)})`;
  });
}
