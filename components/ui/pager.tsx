import { Link } from "@/components/ui/link";
import { buttonClass } from "./styles";

type PagerProps = {
  page: number;
  pages: number;
  /** The address of a page, the rest of the query kept. */
  href: (page: number) => string;
  /** Names the navigation landmark; without it the pager is a plain block, for use inside another landmark. */
  label?: string;
  previous?: string;
  next?: string;
  /** There are more pages than `pages` (a count that stopped at its cap): "of more than m", and a next page while this one is full. */
  more?: { full: boolean };
};

/** Previous and next links around "Page n of m"; nothing when there is only one page. */
export function Pager({ page, pages, href, label, previous = "Previous", next = "Next", more }: PagerProps) {
  if (pages <= 1 && !more) return null;
  const Wrapper = label ? "nav" : "div";
  const hasNext = page < pages || Boolean(more?.full);
  return (
    <Wrapper aria-label={label} className="flex items-center justify-between text-sm">
      {page > 1 ? <Link href={href(page - 1)} className={buttonClass("secondary")}>{previous}</Link> : <span />}
      <span className="text-slate-600">Page {page}{more ? (page < pages ? ` of more than ${pages}` : "") : ` of ${pages}`}</span>
      {hasNext ? <Link href={href(page + 1)} className={buttonClass("secondary")}>{next}</Link> : <span />}
    </Wrapper>
  );
}

type KeysetPagerProps = {
  page: number;
  /** "12", or "more than 40" when the count stopped at its cap. */
  pages: string;
  previousHref: string | null;
  nextHref: string | null;
  label?: string;
};

/** The same pager for keyset pages: the neighbours are cursors, so only previous and next are links. */
export function KeysetPager({ page, pages, previousHref, nextHref, label }: KeysetPagerProps) {
  if (!previousHref && !nextHref) return null;
  const Wrapper = label ? "nav" : "div";
  return (
    <Wrapper aria-label={label} className="flex items-center justify-between text-sm">
      {previousHref ? <Link href={previousHref} className={buttonClass("secondary")}>Previous</Link> : <span />}
      <span className="text-slate-600">Page {page} of {pages}</span>
      {nextHref ? <Link href={nextHref} className={buttonClass("secondary")}>Next</Link> : <span />}
    </Wrapper>
  );
}
