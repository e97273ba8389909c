"use client";

import Form from "next/form";
import { useEffect, useRef } from "react";
import { buttonClass } from "./ui/styles";
import { inputClass } from "./ui/field";

/** The keys, as `?` lists them. */
const keys: [string, string][] = [
  ["/", "Search (the page's search, or go to an order)"],
  ["Ctrl K  ⌘K", "Go to an order by number or text"],
  ["J  K", "Next / previous order in a list"],
  ["Enter", "Open the order"],
  ["X", "Select the order for printing"],
  ["Ctrl Enter", "Post the comment being written"],
  ["Ctrl S", "Save the stage form"],
  ["?", "This list"],
];

/** Typing in a field: single keys are the person's text there, not shortcuts. */
function typing(target: EventTarget | null) {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !["checkbox", "radio", "button", "submit", "reset"].includes(target.type);
}

const visible = (el: Element) => (el as HTMLElement).checkVisibility?.() ?? (el as HTMLElement).offsetParent !== null;

/**
 * The keyboard shortcuts of every signed-in page, in one listener. Pages take part by marking
 * their elements: `data-shortcut-search` (the field `/` focuses), `data-row` / `data-row-link` /
 * `data-row-select` (a list J, K and X move through and tick), `data-ctrl-enter` (a form Ctrl+Enter
 * posts from within) and `data-ctrl-s` (the button Ctrl+S presses). Everything a shortcut does is
 * a focus or a press of a control that is there anyway, so a screen reader hears what happened and
 * nothing is reachable only by a key.
 */
export function Shortcuts() {
  const goTo = useRef<HTMLDialogElement>(null);
  const help = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const open = (dialog: HTMLDialogElement | null) => {
      if (!dialog || dialog.open) return;
      for (const d of [goTo.current, help.current]) if (d?.open) d.close();
      // The dialog stays mounted across pages: each opening starts empty.
      dialog.querySelector("form")?.reset();
      dialog.showModal();
    };
    function onKey(e: KeyboardEvent) {
      if (e.defaultPrevented || e.isComposing) return;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && !e.altKey && key === "k") {
        e.preventDefault();
        open(goTo.current);
        return;
      }
      if (mod && e.key === "Enter") {
        const form = e.target instanceof Element ? e.target.closest<HTMLFormElement>("form[data-ctrl-enter]") : null;
        if (form) {
          e.preventDefault();
          form.requestSubmit();
        }
        return;
      }
      if (mod && !e.altKey && !e.shiftKey && key === "s") {
        const save = [...document.querySelectorAll<HTMLButtonElement>("button[data-ctrl-s]")].find(visible);
        if (save) {
          e.preventDefault();
          if (!save.disabled) save.click();
        }
        return;
      }
      if (mod || e.altKey || typing(e.target) || document.querySelector("dialog[open]")) return;
      if (e.key === "?") {
        e.preventDefault();
        open(help.current);
      } else if (e.key === "/") {
        e.preventDefault();
        const search = [...document.querySelectorAll<HTMLInputElement>("[data-shortcut-search]")].find(visible);
        if (search) search.focus();
        else open(goTo.current);
      } else if (key === "j" || key === "k" || key === "x") {
        const links = [...document.querySelectorAll<HTMLAnchorElement>("[data-row-link]")].filter(visible);
        if (links.length === 0) return;
        e.preventDefault();
        const at = links.findIndex((l) => l.closest("[data-row]")?.contains(document.activeElement));
        if (key === "x") {
          const row = links[at === -1 ? 0 : at].closest("[data-row]");
          row?.querySelector<HTMLInputElement>("[data-row-select]")?.click();
          if (at === -1) links[0].focus();
          return;
        }
        const next = at === -1 ? 0 : Math.min(links.length - 1, Math.max(0, at + (key === "j" ? 1 : -1)));
        links[next].focus();
        links[next].scrollIntoView({ block: "nearest" });
      }
    }
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);

  return (
    <>
      <dialog
        ref={goTo}
        aria-labelledby="go-to-title"
        className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-lg border border-slate-200 p-5 shadow-xl backdrop:bg-slate-900/40"
      >
        {/* A plain search of all orders: a number or text that matches one order opens it (the list's `go`). */}
        <Form action="/orders" className="space-y-3" onSubmit={() => goTo.current?.close()}>
          <h2 id="go-to-title" className="text-lg font-semibold">Go to order</h2>
          <input type="hidden" name="view" value="all" />
          <input type="hidden" name="go" value="1" />
          <div>
            <label htmlFor="go-to-q" className="block text-sm font-medium text-slate-700">Order number or text</label>
            <input id="go-to-q" name="q" required maxLength={200} autoComplete="off" placeholder="MO-00042, or words of the product" className={inputClass} />
          </div>
          <div className="flex justify-end gap-2">
            <button type="button" onClick={() => goTo.current?.close()} className={buttonClass("secondary")}>Cancel</button>
            <button type="submit" className={buttonClass()}>Go</button>
          </div>
        </Form>
      </dialog>
      <dialog
        ref={help}
        aria-labelledby="keys-title"
        className="m-auto w-[min(30rem,calc(100vw-2rem))] rounded-lg border border-slate-200 p-5 shadow-xl backdrop:bg-slate-900/40"
      >
        <h2 id="keys-title" className="text-lg font-semibold">Keyboard shortcuts</h2>
        <p className="mt-1 text-sm text-slate-600">Single keys work when you are not typing in a field.</p>
        <dl className="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5 text-sm">
          {keys.map(([k, what]) => (
            <div key={k} className="contents">
              <dt className="font-mono font-semibold whitespace-nowrap">{k}</dt>
              <dd>{what}</dd>
            </div>
          ))}
        </dl>
        <form method="dialog" className="mt-4 flex justify-end">
          <button type="submit" className={buttonClass("secondary")}>Close</button>
        </form>
      </dialog>
    </>
  );
}
