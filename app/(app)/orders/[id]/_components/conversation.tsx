import type { Person } from "@/db/queries/conversation";
import type { OrderComment } from "@/db/schema";
import { formatDateTime } from "@/lib/format";
import { mentionHandle } from "@/lib/orders/mentions";
import { COMMENT_EDIT_WINDOW_MS } from "@/lib/orders/schemas";
import { CommentForm } from "./comment-form";
import { CommentText } from "./comment-text";

/** The order's conversation: comments oldest first, the author's edit within 10 minutes, and the box to add one. */
export function Conversation({
  orderId,
  comments,
  readers,
  viewerId,
  canComment,
  zone,
  now,
}: {
  orderId: number;
  comments: { comment: OrderComment; authorName: string }[];
  readers: Person[];
  viewerId: number;
  canComment: boolean;
  zone: string;
  now: Date;
}) {
  const people = readers.filter((p) => p.id !== viewerId).map((p) => ({ handle: mentionHandle(p, readers), name: p.name }));
  return (
    <section aria-labelledby="conversation-title" className="space-y-4 rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="conversation-title" className="font-semibold">
        Conversation
      </h2>
      {comments.length === 0 ? (
        <p className="text-sm text-slate-600">No comments yet.</p>
      ) : (
        <ol className="space-y-4" aria-label="Comments">
          {comments.map(({ comment, authorName }) => {
            const editable = canComment && comment.authorId === viewerId && now.getTime() - comment.createdAt.getTime() <= COMMENT_EDIT_WINDOW_MS;
            return (
              <li key={comment.id} className="space-y-1 border-l-2 border-indigo-200 pl-3" data-testid="comment">
                <p className="text-xs text-slate-500">
                  <span className="font-medium text-slate-800">{authorName}</span> ·{" "}
                  <time dateTime={comment.createdAt.toISOString()}>{formatDateTime(comment.createdAt, zone)}</time>
                  {comment.editedAt && " · edited"}
                </p>
                <CommentText body={comment.body} />
                {editable && (
                  <details className="text-sm">
                    <summary className="cursor-pointer text-indigo-700">Edit</summary>
                    <CommentForm orderId={orderId} people={people} comment={{ id: comment.id, body: comment.body }} />
                  </details>
                )}
              </li>
            );
          })}
        </ol>
      )}
      {canComment && <CommentForm orderId={orderId} people={people} />}
    </section>
  );
}
