// Questions on the terminal, for what cannot be undone.
import { createInterface } from 'node:readline/promises';

/** Asks on the terminal; without one there is nobody to ask, and the answer is no. */
export async function confirmOnTerminal(question: string): Promise<boolean> {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return false;
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await prompt.question(`${question} Type "yes" to go on: `)).trim().toLowerCase() === 'yes';
  } finally {
    prompt.close();
  }
}
