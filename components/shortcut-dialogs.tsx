import { buttonClass } from "./ui/styles";
import { inputClass } from "./ui/field";
import { GO_TO_ID, KEYS_ID } from "./shortcut-ids";


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

/**
 * The two dialogs the keyboard shortcuts open (components/shortcuts.tsx), drawn on the server
 * with the layout: Ctrl+K's "Go to order" and `?`'s list of keys. Cancel and Close are the
 * platform's own dialog buttons (`formmethod="dialog"`), so they need no script.
 */
export function ShortcutDialogs() {
  return (
    <>
      <dialog id={GO_TO_ID} aria-labelledby="go-to-title" className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-lg border border-slate-200 p-5 shadow-xl backdrop:bg-slate-900/40">
        {/* A plain search of all orders: a number or text that matches one order opens it (the list's `go`). */}
        <form action="/orders" className="space-y-3">
          <h2 id="go-to-title" className="text-lg font-semibold">Go to order</h2>
          <input type="hidden" name="view" value="all" />
          <input type="hidden" name="go" value="1" />
          <div>
            <label htmlFor="go-to-q" className="block text-sm font-medium text-slate-700">Order number or text</label>
            <input id="go-to-q" name="q" required maxLength={200} autoComplete="off" placeholder="MO-00042, or words of the product" className={inputClass} />
          </div>
          {/* Go comes first: Enter in the field presses a form's first button (Cancel closes the dialog). */}
          <div className="flex justify-end gap-2">
            <button type="submit" className={buttonClass()}>Go</button>
            <button type="submit" formMethod="dialog" formNoValidate className={buttonClass("secondary")}>Cancel</button>
          </div>
        </form>
      </dialog>
      <dialog id={KEYS_ID} aria-labelledby="keys-title" className="m-auto w-[min(30rem,calc(100vw-2rem))] rounded-lg border border-slate-200 p-5 shadow-xl backdrop:bg-slate-900/40">
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
