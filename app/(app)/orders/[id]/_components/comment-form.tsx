"use client";

import { useActionState, useEffect, useLayoutEffect, useRef, useState } from "react";
import { SubmitButton } from "@/components/ui/button";
import { Field, describedBy, inputClass } from "@/components/ui/field";
import { ActionFeedback } from "@/components/order/action-feedback";
import { rankMentionOptions } from "@/lib/orders/mention-options";
import type { ActionState } from "@/lib/result";
import { addCommentAction, editCommentAction } from "../../actions";

export type MentionOption = { handle: string; name: string };

/** The @word being typed just before the caret, if any. */
function mentionAt(text: string, caret: number) {
  const m = /(^|[^\w@.])@([\w.-]*)$/.exec(text.slice(0, caret));
  return m ? { query: m[2], start: caret - m[2].length - 1 } : null;
}

/**
 * A comment box with @mention typeahead: typing @ and a few letters lists the people who may
 * read the order; choosing one inserts their handle. The server checks every mention again.
 */
export function CommentForm({ orderId, people, comment }: { orderId: number; people: MentionOption[]; comment?: { id: number; body: string } }) {
  const [text, setText] = useState(comment?.body ?? "");
  const [state, action] = useActionState(async (prev: ActionState, formData: FormData) => {
    const result = await (comment ? editCommentAction : addCommentAction)(prev, formData);
    if (result.ok && !comment) setText("");
    return result;
  }, {} as ActionState);
  const [caret, setCaret] = useState(0);
  const [active, setActive] = useState(0);
  const area = useRef<HTMLTextAreaElement>(null);
  const placeCaret = useRef<number | null>(null);
  const id = comment ? `comment-${comment.id}-body` : "comment-body";
  const typing = mentionAt(text, caret);
  const matches = typing ? rankMentionOptions(typing.query, people) : [];
  const errors = state.fieldErrors?.body;
  const choose = (p: MentionOption) => {
    if (!typing) return;
    const next = `${text.slice(0, typing.start)}@${p.handle} ${text.slice(caret)}`;
    const at = typing.start + p.handle.length + 2;
    setText(next);
    setCaret(at);
    setActive(0);
    placeCaret.current = at;
  };
  // What was typed before the page's script ran fired no event React saw: on hydrating, the box
  // takes what it holds, so the text, the caret and the @mention list follow it.
  useEffect(() => {
    const el = area.current;
    if (!el || el.value === text) return;
    // Once, from the DOM as hydration found it: an outside state that no render could know.
    setText(el.value);
    setCaret(el.selectionStart);
  }, []); // eslint-disable-line react-hooks/exhaustive-deps
  // Put the caret after the inserted handle in the same commit that shows it, before the next
  // key is handled: a caret placed a frame later (requestAnimationFrame) jumped back over
  // whatever a quick typist had typed in between, and the comment came out scrambled.
  useLayoutEffect(() => {
    const at = placeCaret.current;
    if (at === null || !area.current) return;
    placeCaret.current = null;
    area.current.focus();
    area.current.setSelectionRange(at, at);
  });
  return (
    <form action={action} className="space-y-2" noValidate data-ctrl-enter>
      {comment ? <input type="hidden" name="commentId" value={comment.id} /> : <input type="hidden" name="orderId" value={orderId} />}
      <Field id={id} label={comment ? "Edit comment" : "Add a comment"} errors={errors} help="Plain text; links and @mentions allowed.">
        <div className="relative">
          <textarea
            ref={area}
            id={id}
            name="body"
            rows={3}
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setCaret(e.target.selectionStart);
              setActive(0);
            }}
            onSelect={(e) => setCaret(e.currentTarget.selectionStart)}
            onKeyDown={(e) => {
              if (!matches.length) return;
              if (e.key === "ArrowDown" || e.key === "ArrowUp") {
                e.preventDefault();
                setActive((a) => (a + (e.key === "ArrowDown" ? 1 : matches.length - 1)) % matches.length);
              } else if (e.key === "Enter" || e.key === "Tab") {
                e.preventDefault();
                choose(matches[active]);
              }
            }}
            role="combobox"
            aria-expanded={matches.length > 0}
            aria-controls={`${id}-mentions`}
            aria-autocomplete="list"
            className={inputClass}
            {...describedBy(id, { errors, help: "Plain text; links and @mentions allowed." })}
          />
          {matches.length > 0 && (
            <ul id={`${id}-mentions`} role="listbox" aria-label="People to mention" className="absolute z-10 mt-1 w-64 rounded-md border border-slate-200 bg-white py-1 text-sm shadow-lg">
              {matches.map((p, i) => (
                <li
                  key={p.handle}
                  role="option"
                  aria-selected={i === active}
                  onMouseDown={(e) => {
                    e.preventDefault();
                    choose(p);
                  }}
                  className={`cursor-pointer px-3 py-1.5 ${i === active ? "bg-indigo-50" : ""}`}
                >
                  {p.name} <span className="text-slate-500">@{p.handle}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      </Field>
      {!errors && <ActionFeedback state={state} />}
      <SubmitButton variant={comment ? "secondary" : "primary"} pendingText="Posting…">
        {comment ? "Save comment" : "Post comment"}
      </SubmitButton>
    </form>
  );
}
