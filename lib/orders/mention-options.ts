/**
 * The typeahead's ranking, on its own so that the comment box's script carries only this of the
 * mention rules (lib/orders/mentions.ts has the rest: tokens, resolving, links).
 */

/**
 * The people the typeahead offers for what was typed after the @, best first, since Enter takes
 * the first: a handle or first name that starts with it, then another word of the name that does,
 * and only then a name or handle that merely contains it ("pa" in "Dispatch").
 */
export function rankMentionOptions<P extends { handle: string; name: string }>(query: string, people: readonly P[], limit = 6): P[] {
  const q = query.toLowerCase();
  const rank = (p: P) => {
    const handle = p.handle.toLowerCase();
    const words = p.name.toLowerCase().split(/\s+/).filter(Boolean);
    if (handle.startsWith(q) || (words[0] ?? "").startsWith(q)) return 0;
    if (words.some((w) => w.startsWith(q))) return 1;
    if (handle.includes(q) || p.name.toLowerCase().includes(q)) return 2;
    return null;
  };
  return people
    .flatMap((p, i) => {
      const r = rank(p);
      return r === null ? [] : [{ p, r, i }];
    })
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .slice(0, limit)
    .map((x) => x.p);
}
