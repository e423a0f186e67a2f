// The browser build: the default export is the idempotent init().
import init, { parseCall, type Call } from 'fn-calls';

export async function load(text: string): Promise<Call> {
  await init();
  await init();
  return parseCall(text);
}
