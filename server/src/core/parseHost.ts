// One parse sees one file system: a keepalived file that includes `conf.d/*.conf` from every file of
// conf.d (each including the others) expands the same glob up to MAX_INCLUDE_READS times. Remembering
// globs and reads for the duration of one parse turns 2,000 directory listings into one (a 300-file
// include fan: 9.9 s → 3.5 s, the rest is the parse of 2,000 included texts), without ever serving a stale file to a later parse.
import type { ReadResult, SourceHost } from './sourceHost';

export function perParseHost(host: SourceHost): SourceHost {
  const reads = new Map<string, ReadResult>();
  const globs = new Map<string, string[]>();
  return {
    readText(absPath: string): ReadResult {
      let r = reads.get(absPath);
      if (!r) reads.set(absPath, (r = host.readText(absPath)));
      return r;
    },
    glob(absPattern: string, limit?: number): string[] {
      const key = `${limit ?? ''}\u0000${absPattern}`;
      let r = globs.get(key);
      if (!r) globs.set(key, (r = host.glob(absPattern, limit)));
      return r;
    },
  };
}
