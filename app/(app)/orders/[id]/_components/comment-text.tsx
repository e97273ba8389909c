import { linkify } from "@/lib/orders/mentions";

/** A comment as written: text escaped by React, http(s) URLs as links, line breaks kept. Never HTML. */
export function CommentText({ body }: { body: string }) {
  return (
    <p className="whitespace-pre-wrap wrap-anywhere text-sm text-slate-900">
      {linkify(body).map((run, i) =>
        run.href ? (
          <a key={i} href={run.href} rel="noopener noreferrer nofollow ugc" target="_blank" className="text-indigo-700 underline">
            {run.text}
          </a>
        ) : (
          <span key={i}>{run.text}</span>
        ),
      )}
    </p>
  );
}
