/**
 * @mentions in comment text (pure): which names a comment mentions, and whom each means. A
 * handle is a person's first name when no other active account shares it, else the part of
 * their email before the @; both, and the full name without spaces, are understood.
 */

export type Mentionable = { id: number; name: string; email: string };

const TOKEN = /(^|[^\w@.])@([A-Za-z][\w.-]*[\w])/g;

export function mentionTokens(body: string): string[] {
  const out = new Set<string>();
  for (const m of body.matchAll(TOKEN)) out.add(m[2]);
  return [...out];
}

const firstName = (a: Mentionable) => a.name.trim().split(/\s+/)[0].toLowerCase();
const localPart = (a: Mentionable) => a.email.split("@")[0].toLowerCase();
const joined = (a: Mentionable) => a.name.replace(/\s+/g, "").toLowerCase();

export type Resolved = { ok: true; account: Mentionable } | { ok: false; reason: "unknown" | "ambiguous" };

export function resolveMention(token: string, accounts: readonly Mentionable[]): Resolved {
  const t = token.toLowerCase();
  for (const key of [localPart, joined, firstName]) {
    const found = accounts.filter((a) => key(a) === t);
    if (found.length === 1) return { ok: true, account: found[0] };
    if (found.length > 1) return { ok: false, reason: "ambiguous" };
  }
  return { ok: false, reason: "unknown" };
}

/** The handle the typeahead inserts for a person. */
export function mentionHandle(account: Mentionable, accounts: readonly Mentionable[]): string {
  const first = account.name.trim().split(/\s+/)[0];
  const unique = /^[A-Za-z][\w.-]*$/.test(first) && accounts.filter((a) => firstName(a) === first.toLowerCase()).length === 1;
  return unique ? first : account.email.split("@")[0];
}

/** Text split into plain runs and http(s) links, for rendering with escaping (no HTML is ever built from it). */
export type Run = { text: string; href?: string };
const URL_RE = /\bhttps?:\/\/[^\s<>"']+/gi;

export function linkify(text: string): Run[] {
  const runs: Run[] = [];
  let last = 0;
  for (const m of text.matchAll(URL_RE)) {
    // Trailing punctuation usually ends the sentence, not the link.
    const url = m[0].replace(/[.,;:!?)\]]+$/, "");
    const start = m.index!;
    if (start > last) runs.push({ text: text.slice(last, start) });
    runs.push({ text: url, href: url });
    last = start + url.length;
  }
  if (last < text.length) runs.push({ text: text.slice(last) });
  return runs;
}
