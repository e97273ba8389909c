import type { Page } from "@playwright/test";

/**
 * What runs past the window's edges on the page as shown: the page's own sideways scroll (named by
 * the innermost elements past the edge, to say where to look), and every occurrence of `words`
 * that runs out of its box or out of the window, including one clipped by a box that hides its
 * overflow, which scrolls nothing but still cannot be read (text cut short with an ellipsis on
 * purpose, or only for screen readers, aside). Empty when everything fits.
 */
export function sidewaysOverflow(page: Page, words: readonly string[] = []): Promise<string[]> {
  return page.evaluate((words) => {
    const width = window.innerWidth;
    const out: string[] = [];
    if (document.documentElement.scrollWidth > width) {
      const past = [...document.body.querySelectorAll("*")].filter((el) => el.getBoundingClientRect().right > width + 1);
      const innermost = past.filter((el) => !past.some((other) => other !== el && el.contains(other))).slice(0, 3);
      const name = (el: Element) => `<${el.tagName.toLowerCase()} class="${(el.getAttribute("class") ?? "").slice(0, 80)}">${(el.textContent ?? "").slice(0, 40)}`;
      out.push(`the page is ${document.documentElement.scrollWidth} px wide: ${innermost.map(name).join("; ")}`);
    }
    // Inside a box that scrolls sideways (the board's columns on a tablet), text may lie beyond the
    // window: it is a scroll away, as long as it stays in its own box.
    const inScroller = (el: Element) => {
      for (let e: Element | null = el; e && e !== document.body; e = e.parentElement) {
        if (["auto", "scroll"].includes(getComputedStyle(e).overflowX)) return true;
      }
      return false;
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      // Cut short on purpose (the whole text is in its title) or hidden for screen readers.
      if (node.parentElement?.closest(".truncate, .sr-only")) continue;
      const text = node.textContent ?? "";
      for (const word of words) {
        for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + word.length)) {
          const range = document.createRange();
          range.setStart(node, at);
          range.setEnd(node, at + word.length);
          const parent = node.parentElement!;
          let box: Element = parent;
          while (getComputedStyle(box).display === "inline" && box.parentElement) box = box.parentElement;
          const edges = box.getBoundingClientRect();
          const where = `“${word.slice(0, 24)}…” in <${parent.tagName.toLowerCase()}>`;
          for (const r of range.getClientRects()) {
            if (r.width === 0) continue;
            if (r.left < edges.left - 1 || r.right > edges.right + 1) out.push(`${where} runs out of its box (${Math.round(r.left)}–${Math.round(r.right)} px in ${Math.round(edges.left)}–${Math.round(edges.right)} px)`);
            else if (!inScroller(parent) && (r.left < -1 || r.right > width + 1)) out.push(`${where} runs from ${Math.round(r.left)} to ${Math.round(r.right)} px`);
          }
        }
      }
    }
    return out;
  }, words);
}
