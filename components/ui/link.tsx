import type { ComponentProps } from "react";

/**
 * A link within the app: a plain `<a>` marked `data-in-app`, which the layout's one listener
 * (components/in-app-navigation.tsx) follows in place, as next/link would, rather than reloading
 * the page: the layout, its live stream and the header stay, and the page's data comes as one
 * request. Nothing of it runs per link, on the server or in the browser: a list of fifty orders
 * draws fifty anchors, not fifty client components (issue 17: server CPU per request, and the JS
 * budget, `npm run bench:js`). Every page here is drawn per request for its viewer, so next/link's
 * prefetching had little to fetch ahead. Without JavaScript it is an ordinary link.
 */
export function Link(props: ComponentProps<"a"> & { href: string }) {
  return <a {...props} data-in-app="" />;
}
