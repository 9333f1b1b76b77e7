/** `1 error`, `2 errors`, `0 files`: the count with the word in the right number (never `error(s)`). */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}
