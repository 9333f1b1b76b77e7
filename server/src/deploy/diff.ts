// A small unified diff (Myers' O(ND) algorithm) so the deploy preview needs no extra dependency.

interface Edit {
  kind: ' ' | '-' | '+';
  line: string;
  a: number; // index in old (for ' ' and '-')
  b: number; // index in new (for ' ' and '+')
}

function splitForDiff(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Shortest edit script between two line arrays. */
export function diffLines(a: string[], b: string[]): Edit[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const off = max;
  const v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[off + k - 1] < v[off + k + 1]) ? v[off + k + 1] : v[off + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[off + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  trace.push(v.slice());
  // Walk back through the saved frontiers.
  const edits: Edit[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 2; d >= 0 && (x > 0 || y > 0); d--) {
    const vd = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[off + k - 1] < vd[off + k + 1]) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : vd[off + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      edits.push({ kind: ' ', line: a[x], a: x, b: y });
    }
    if (d === 0) break;
    if (x === prevX) {
      y--;
      edits.push({ kind: '+', line: b[y], a: x, b: y });
    } else {
      x--;
      edits.push({ kind: '-', line: a[x], a: x, b: y });
    }
  }
  while (x > 0 && y > 0) {
    x--;
    y--;
    edits.push({ kind: ' ', line: a[x], a: x, b: y });
  }
  return edits.reverse();
}

/** `diff -u` style text; '' when the texts are equal. `mapLine` lets callers mask secrets. */
export function unifiedDiff(oldText: string, newText: string, oldName: string, newName: string, context = 3, mapLine: (l: string) => string = (l) => l): string {
  const a = splitForDiff(oldText);
  const b = splitForDiff(newText);
  const edits = diffLines(a, b);
  if (!edits.some((e) => e.kind !== ' ')) return '';
  const out: string[] = [`--- ${oldName}`, `+++ ${newName}`];
  let i = 0;
  while (i < edits.length) {
    while (i < edits.length && edits[i].kind === ' ') i++;
    if (i >= edits.length) break;
    const start = Math.max(0, i - context);
    let end = i;
    // Extend the hunk while the next change is within 2×context unchanged lines.
    for (;;) {
      while (end < edits.length && edits[end].kind !== ' ') end++;
      let j = end;
      while (j < edits.length && edits[j].kind === ' ') j++;
      if (j < edits.length && j - end <= 2 * context) end = j;
      else break;
    }
    const stop = Math.min(edits.length, end + context);
    const hunk = edits.slice(start, stop);
    const oldStart = hunk.find((e) => e.kind !== '+')?.a ?? hunk[0].a;
    const newStart = hunk.find((e) => e.kind !== '-')?.b ?? hunk[0].b;
    const oldLen = hunk.filter((e) => e.kind !== '+').length;
    const newLen = hunk.filter((e) => e.kind !== '-').length;
    out.push(`@@ -${oldLen ? oldStart + 1 : oldStart},${oldLen} +${newLen ? newStart + 1 : newStart},${newLen} @@`);
    for (const e of hunk) out.push(e.kind + mapLine(e.line));
    i = stop;
  }
  return out.join('\n') + '\n';
}
