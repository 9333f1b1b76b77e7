// Hard limits enforced by the engine. Past any of them the user gets a finding
// that names the limit, never silence, a hang or a crash.

/** Largest config file read, in bytes. Real configs are far below this; 30,000 lines of haproxy.cfg is ~1 MB. */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;
/** Deepest include nesting followed (keepalived allows includes inside includes). */
export const MAX_INCLUDE_DEPTH = 8;
/**
 * Most include reads in one parse. Cycles are cut, but ten files that each `include *.conf` still reach
 * each other along millions of distinct paths within the depth limit; past this the parse stops reading.
 */
export const MAX_INCLUDE_READS = 2000;
/**
 * Most characters of included text one parse reads, all includes together. Each file is at most
 * MAX_FILE_BYTES, but a shared fragment included inside many blocks is read each time.
 */
export const MAX_INCLUDE_BYTES = 32 * 1024 * 1024;
/** Most files one include glob may expand to. */
export const MAX_INCLUDE_FILES = 1000;
/** HAProxy refuses lines with more words than this (MAX_LINE_ARGS). */
export const HAPROXY_MAX_WORDS = 64;
/** keepalived reads lines into a buffer of this size (MAXBUF); longer lines are cut. */
export const KEEPALIVED_MAX_LINE = 1024;
/** corosync's parser reads lines of at most this many bytes. */
export const COROSYNC_MAX_LINE = 512;
/** Most files collected from one workspace or one CLI invocation. */
export const MAX_WORKSPACE_FILES = 20000;
/** Longest line the engine tokenizes fully; longer lines are truncated for analysis. */
export const MAX_ANALYSED_LINE = 64 * 1024;
