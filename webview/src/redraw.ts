/**
 * Puts a freshly rendered page in place of the one shown without taking the user's place away:
 * the input fields being typed in stay (never swapped, never detached), and the focus returns to
 * the control that had it (by id) — or, when the step changed, goes to the step's heading.
 */

/**
 * The element the user last put the focus on (by id). A re-render replaces the DOM, and while an
 * action runs its button is disabled and cannot hold the focus: without this a keyboard user who
 * pressed Enter on an action would find the focus on the document body afterwards.
 */
let focusKeep: string | undefined;
document.addEventListener('focusin', (e) => {
  const id = (e.target as HTMLElement | null)?.id;
  if (id) focusKeep = id;
});
// A click elsewhere (on text, not a control) means the user moved on: nothing to restore.
document.addEventListener('pointerdown', () => (focusKeep = undefined), true);

/** Focuses `el`; a web component that has not rendered yet (Lit renders in a microtask) gets it once it has. */
function focusSoon(el: HTMLElement): void {
  el.focus();
  if (document.activeElement !== el) void (el as HTMLElement & { updateComplete?: Promise<unknown> }).updateComplete?.then(() => el.isConnected && el.focus());
}

/** Shows `page` in `app` (its only child), keeping the user's fields and focus (see the file comment). */
export function showPage(app: HTMLElement, page: HTMLElement, stepChanged: boolean): void {
  const active = document.activeElement as HTMLElement | null;
  const focusedId = active && active !== document.body ? active.id : focusKeep;
  // Keep the input fields the user may be typing in: a state update (the periodic check) must not
  // swap a field under the cursor. The web components render asynchronously, so keystrokes that
  // arrive between a swap and the new field's first render would be lost, and the caret jumps.
  // The kept fields are never detached either: moving a focused field out of the document blurs it,
  // and focusing it again selects its text, so the next key typed replaced what was typed before.
  const oldInputs = stepChanged || !active || active === document.body ? null : app.querySelector<HTMLElement>('.inputs');
  const newInputs = page.querySelector<HTMLElement>('.inputs');
  if (oldInputs && oldInputs.contains(active) && newInputs && oldInputs.dataset.keys === newInputs.dataset.keys && oldInputs.dataset.step === newInputs.dataset.step) {
    replaceAround(app, oldInputs, newInputs);
    return;
  }
  app.replaceChildren(page);
  if (stepChanged) {
    focusKeep = undefined;
    document.getElementById('step-heading')?.focus();
  } else if (focusedId && document.hasFocus()) {
    const el = document.getElementById(focusedId);
    if (el && !el.hasAttribute('disabled')) focusSoon(el);
  }
}

/**
 * Puts the freshly rendered page in place around `keep` (a subtree of the page shown in `app`)
 * without detaching it: at each level from `keep` up to `app`, the siblings are replaced by their
 * new counterparts (the siblings of `fresh`, its stand-in in the new page) and the attributes copied.
 */
function replaceAround(app: HTMLElement, keep: HTMLElement, fresh: HTMLElement): void {
  let oldNode: HTMLElement = keep;
  let newNode: HTMLElement = fresh;
  while (oldNode !== app) {
    const oldParent = oldNode.parentElement!;
    const newParent = newNode.parentElement;
    if (!newParent) {
      // `newNode` is the new page's root, `oldNode` the old one's: only the app holds it.
      for (const n of [...app.childNodes]) if (n !== oldNode) n.remove();
      copyAttributes(oldNode, newNode);
      return;
    }
    const siblings = [...newParent.childNodes];
    const at = siblings.indexOf(newNode);
    for (const n of [...oldParent.childNodes]) if (n !== oldNode) n.remove();
    oldNode.before(...siblings.slice(0, at));
    oldNode.after(...siblings.slice(at + 1));
    if (oldParent !== app) copyAttributes(oldParent, newParent);
    oldNode = oldParent;
    newNode = newParent;
  }
}

function copyAttributes(to: HTMLElement, from: HTMLElement): void {
  for (const a of [...to.attributes]) if (!from.hasAttribute(a.name)) to.removeAttribute(a.name);
  for (const a of [...from.attributes]) to.setAttribute(a.name, a.value);
}
