"use client";

import { Link } from "@/components/ui/link";

/** One card as the board shows it, every text already formatted on the server. */
export type BoardCard = {
  id: number;
  number: string;
  store: string;
  product: string;
  /** The SLA state ("onTrack", "atRisk", "overdue") or "held": the card's colour. */
  tone: string;
  assignee: { name: string; initials: string } | null;
  /** "3 h in stage", or "held at Receiving by Dispatch". */
  time: string;
  /** The SLA state and its label, for active orders. */
  sla: { state: string; label: string } | null;
  due: string;
  /** What happens next (nextStep), and the failed inspections while in the inspected stage. */
  next: string;
  failedInspections: number;
};

/**
 * A column's cards. A client component so that the page sends the cards once, as data, rather
 * than 120 cards' elements (the HTML is the same, rendered on the server). Classes live in
 * globals.css (.board-card).
 */
export function BoardCards({ cards }: { cards: BoardCard[] }) {
  return cards.map((card) => (
    <li key={card.id}>
      <Link href={`/orders/${card.id}`} className="board-card" data-tone={card.tone}>
        <span className="top">
          <b>{card.number}</b>
          {card.assignee && (
            <span title={`Worked by ${card.assignee.name}`}>
              <span aria-hidden="true">{card.assignee.initials}</span>
              <span className="sr-only">{`worked by ${card.assignee.name}`}</span>
            </span>
          )}
          <small>{card.store}</small>
        </span>
        <span className="what">{card.product}</span>
        <span className="next">
          <span>{card.next}</span>
          {card.failedInspections > 0 && <b data-testid="qc-failed">{`QC failed ×${card.failedInspections}`}</b>}
        </span>
        <span className="sla">
          <span>{card.time}</span>
          {card.sla && <b data-sla={card.sla.state}>{card.sla.label}</b>}
        </span>
        <span className="due">{`Deliver by ${card.due}`}</span>
      </Link>
    </li>
  ));
}
