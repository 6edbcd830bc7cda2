/**
 * One synthesis of a stack per render. With the policy gate on, a render synthesizes the stack's
 * Terraform JSON twice: the gate's validation reads it (`checkSynthesizedJson`), then the render writes
 * it, and nothing changes the stack in between. Inside {@link synthesizingOnce} the stack's
 * `toTerraform()` synthesizes once and returns that document again. Outside it nothing is kept, so a
 * stack changed after a synthesis is synthesized afresh. Internal: not exported from the package.
 */
const renders = new WeakMap<object, { json?: unknown }>();

/**
 * Runs `render` (validations, then synthesis, with no change to the stack in between) with `stack`'s
 * Terraform JSON synthesized at most once.
 */
export function synthesizingOnce<T>(stack: object, render: () => T): T {
  renders.set(stack, {});
  try {
    return render();
  } finally {
    renders.delete(stack);
  }
}

/** The stack's Terraform JSON: inside {@link synthesizingOnce}, the one already synthesized there, if any. */
export function synthesizedOnce(stack: object, synthesize: () => unknown): unknown {
  const render = renders.get(stack);
  if (render === undefined) return synthesize();
  render.json ??= synthesize();
  return render.json;
}
