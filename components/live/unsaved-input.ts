/**
 * Whether the page holds input its person has not saved: a form control in the main content
 * that no longer shows what the page drew, or a form that says so itself (`data-unsaved`: the
 * stage form after a refused save, whose controls were redrawn with what was typed).
 */
export function hasUnsavedInput(root: ParentNode = document): boolean {
  if (root.querySelector("main form[data-unsaved]")) return true;
  for (const element of Array.from(root.querySelectorAll("main form input, main form textarea, main form select"))) {
    if (element instanceof HTMLSelectElement) {
      if (Array.from(element.options).some((o) => o.selected !== o.defaultSelected)) return true;
    } else if (element instanceof HTMLInputElement) {
      if (["hidden", "submit", "button", "reset", "image", "file"].includes(element.type)) continue;
      if (element.type === "checkbox" || element.type === "radio" ? element.checked !== element.defaultChecked : element.value !== element.defaultValue) return true;
    } else if (element instanceof HTMLTextAreaElement && element.value !== element.defaultValue) {
      return true;
    }
  }
  return false;
}
