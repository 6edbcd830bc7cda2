/** Error helpers the tests share. */
/** The message of what `f` throws; empty when it throws nothing. */
export function messageOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  return '';
}
