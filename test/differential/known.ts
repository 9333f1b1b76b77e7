// Disagreements with the real tools that are understood and listed in docs/parity.md. The differential
// test fails on any disagreement not matched here, so a new one is either fixed or written down.
import type { Outcome } from './run';

export interface KnownDisagreement {
  seed: RegExp;
  mutation: RegExp;
  /** Which side rejects. */
  toolRejects: boolean;
  /** Short reason; docs/parity.md has the long form. */
  reason: string;
  /**
   * No static check can decide it: the answer depends on the build the file runs on (`.if feature(...)`),
   * so haconf deliberately does not judge those lines. Such cases stay out of the agreement rate, which
   * measures where both sides can judge; every other disagreement counts against it.
   */
  undecidable?: boolean;
}

export const KNOWN: KnownDisagreement[] = [
  {
    seed: /valid-conditionals\.cfg$/,
    mutation: /^(server port 70000|server port range|add reqadd|duplicate a server line|duplicate a backend name|server without address|typo a keyword|misspell a section)$/,
    toolRejects: true,
    reason: 'lines inside `.if feature(...)` are not judged: the features of the target build are unknown',
    undecidable: true,
  },
  {
    seed: /valid-conditionals\.cfg$/,
    mutation: /^(check port 70000|maxconn not a number)$/,
    toolRejects: false,
    reason: 'same: a fault only haconf looks for, inside a `.if feature(...)` block it does not judge',
    undecidable: true,
  },
  {
    seed: /valid-quoting\.cfg$/,
    mutation: /^bind port 70000$/,
    toolRejects: true,
    reason: 'the port sits in the default of an environment variable (`"${VAR-:70000}"`), which haconf does not expand',
  },
  {
    seed: /^generated haproxy/,
    mutation: /^drop a referenced backend$/,
    toolRejects: false,
    reason: 'the dropped backend is named by a `default_backend` that a later `default_backend` in the same proxy overrides; haproxy only resolves the last one, haconf reports the dead reference',
  },
  {
    seed: /./,
    mutation: /^two_node with three nodes$/,
    toolRejects: false,
    reason: 'reported as a warning, not an error: corosync -t 3.1.7-3.1.10 accept it and votequorum ignores two_node beyond two nodes (it only implies wait_for_all)',
  },
];

export function explain(o: Outcome): KnownDisagreement | undefined {
  return KNOWN.find((k) => k.seed.test(o.seed) && k.mutation.test(o.mutation) && k.toolRejects === o.toolRejects);
}
