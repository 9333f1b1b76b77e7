// Remote paths end up in commands run over ssh. Rather than trusting quoting alone, targets are held to
// an allow-list of characters real config paths use, and must be absolute and normalised.
const SAFE_PATH = /^\/[A-Za-z0-9._@+\-/]*$/;

export function unsafeTargetReason(target: string): string | undefined {
  if (!target.startsWith('/')) return 'must be an absolute path';
  if (!SAFE_PATH.test(target)) return 'may only contain letters, digits and . _ @ + - /';
  if (target.split('/').some((seg) => seg === '..' || seg === '.')) return 'must not contain . or .. segments';
  if (target.includes('//')) return 'must not contain empty segments (//)';
  if (target.endsWith('/')) return 'must name a file, not a directory';
  return undefined;
}
