"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import { GO_TO_ID, KEYS_ID } from "./shortcut-ids";

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
 * nothing is reachable only by a key. The two dialogs are the layout's markup (`ShortcutDialogs`);
 * this is only the listener, so every page carries as little script for it as can be.
 */
export function Shortcuts() {
  const router = useRouter();

  useEffect(() => {
    const dialog = (id: string) => document.getElementById(id) as HTMLDialogElement | null;
    const open = (target: HTMLDialogElement | null) => {
      if (!target || target.open) return;
      for (const d of document.querySelectorAll("dialog[open]")) (d as HTMLDialogElement).close();
      // The dialog stays mounted across pages: each opening starts empty.
      target.querySelector("form")?.reset();
      target.showModal();
    };
    function onKey(e: KeyboardEvent) {
      if (e.defaultPrevented || e.isComposing) return;
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      if (mod && !e.altKey && key === "k") {
        e.preventDefault();
        open(dialog(GO_TO_ID));
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
        open(dialog(KEYS_ID));
      } else if (e.key === "/") {
        e.preventDefault();
        const search = [...document.querySelectorAll<HTMLInputElement>("[data-shortcut-search]")].find(visible);
        if (search) search.focus();
        else open(dialog(GO_TO_ID));
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
    // Go to order: the list's search of all orders, as a client navigation (a plain GET without script).
    function onSubmit(e: SubmitEvent) {
      const form = e.target;
      if (!(form instanceof HTMLFormElement) || form.parentElement?.id !== GO_TO_ID || (e.submitter as HTMLButtonElement | null)?.formMethod === "dialog") return;
      e.preventDefault();
      dialog(GO_TO_ID)?.close();
      router.push(`${form.getAttribute("action")}?${new URLSearchParams(new FormData(form) as unknown as Record<string, string>)}`);
    }
    document.addEventListener("keydown", onKey);
    document.addEventListener("submit", onSubmit);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("submit", onSubmit);
    };
  }, [router]);

  return null;
}
