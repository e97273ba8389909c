import { Body, Button, Container, Head, Heading, Hr, Html, Link, Preview, Section, Text } from "@react-email/components";
import { render } from "@react-email/render";
import { type OrderState, type StageKey, formatOrderNumber, orderStateLabels, stage } from "@/lib/workflow";
import { orderUrl } from "./notification-email";

/** One email for many alerts: each order with its alert and a link, newest last. */
export type DigestEmailData = {
  recipientName: string;
  kind: "grouped" | "daily";
  /** How many alerts the email covers; `items` may list fewer (the rest are in the inbox). */
  total: number;
  items: {
    message: string;
    priority: "low" | "normal" | "high";
    order: { id: number; storeName: string; productSummary: string; stage: StageKey; state: OrderState };
  }[];
  appUrl: string;
};

const styles = {
  body: { backgroundColor: "#f1f5f9", fontFamily: "-apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif", margin: 0, padding: "24px 0" },
  container: { backgroundColor: "#ffffff", border: "1px solid #e2e8f0", borderRadius: "8px", margin: "0 auto", maxWidth: "560px", padding: "24px" },
  heading: { color: "#0f172a", fontSize: "20px", margin: "0 0 8px" },
  item: { color: "#0f172a", fontSize: "14px", lineHeight: "20px", margin: "0 0 12px" },
  meta: { color: "#64748b", fontSize: "12px" },
  link: { color: "#4338ca", fontWeight: 600 },
  button: { backgroundColor: "#4f46e5", borderRadius: "6px", color: "#ffffff", fontSize: "14px", fontWeight: 600, padding: "10px 18px", textDecoration: "none" },
  footer: { color: "#64748b", fontSize: "12px", lineHeight: "18px" },
};

const inboxUrl = (appUrl: string) => `${appUrl.replace(/\/$/, "")}/inbox`;
const where = (o: DigestEmailData["items"][number]["order"]) => (o.state === "active" ? `${stage(o.stage).number}. ${stage(o.stage).name}` : orderStateLabels[o.state]);

export function digestSubject(data: Pick<DigestEmailData, "kind" | "total" | "items">) {
  const orders = new Set(data.items.map((i) => i.order.id)).size;
  const high = data.items.some((i) => i.priority === "high") ? "[High priority] " : "";
  const what = `${data.total} alert${data.total === 1 ? "" : "s"}${data.total === data.items.length ? ` on ${orders} order${orders === 1 ? "" : "s"}` : ""}`;
  return data.kind === "daily" ? `${high}Your daily Makeline digest: ${what}` : `${high}Makeline: ${what}`;
}

export function DigestEmail(data: DigestEmailData) {
  const more = data.total - data.items.length;
  return (
    <Html lang="en">
      <Head />
      <Preview>{digestSubject(data)}</Preview>
      <Body style={styles.body}>
        <Container style={styles.container}>
          <Heading as="h1" style={styles.heading}>
            {data.kind === "daily" ? "Your daily digest" : `${data.total} new alerts`}
          </Heading>
          <Section>
            {data.items.map((item, i) => (
              <Text key={i} style={styles.item}>
                <Link href={orderUrl(data.appUrl, item.order.id)} style={styles.link}>
                  {formatOrderNumber(item.order.id)}
                </Link>{" "}
                {item.priority === "high" ? "(high priority) " : ""}
                {item.message}
                <br />
                <span style={styles.meta}>
                  {item.order.storeName} · {item.order.productSummary || "—"} · {where(item.order)}
                </span>
              </Text>
            ))}
          </Section>
          {more > 0 && <Text style={styles.item}>… and {more} more in your inbox.</Text>}
          <Section style={{ margin: "20px 0" }}>
            <Button href={inboxUrl(data.appUrl)} style={styles.button}>
              Open your inbox
            </Button>
          </Section>
          <Hr style={{ borderColor: "#e2e8f0" }} />
          <Text style={styles.footer}>
            Hello {data.recipientName}, these alerts were grouped into one email. Choose how each rule reaches you on your account page.
          </Text>
        </Container>
      </Body>
    </Html>
  );
}

export function digestText(data: DigestEmailData) {
  const more = data.total - data.items.length;
  return [
    digestSubject(data),
    "",
    ...data.items.map((i) => `${formatOrderNumber(i.order.id)}: ${i.message} (${i.order.storeName}, ${where(i.order)}) ${orderUrl(data.appUrl, i.order.id)}`),
    ...(more > 0 ? ["", `… and ${more} more in your inbox.`] : []),
    "",
    `Open your inbox: ${inboxUrl(data.appUrl)}`,
    "",
    `Hello ${data.recipientName}, these alerts were grouped into one email. Choose how each rule reaches you on your account page.`,
  ].join("\n");
}

export async function renderDigestEmail(data: DigestEmailData) {
  return { subject: digestSubject(data), html: await render(<DigestEmail {...data} />), text: digestText(data) };
}
