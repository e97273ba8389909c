import { Body, Button, Container, Head, Heading, Hr, Html, Preview, Section, Text } from "@react-email/components";
import { render } from "@react-email/render";
import { formatDate, formatDateTime } from "@/lib/format";
import { type OrderState, type StageKey, formatOrderNumber, orderStateLabels, stage } from "@/lib/workflow";

export type NotificationEmailData = {
  recipientName: string;
  /** The recipient's time zone (UTC when unknown): the due time reads in it. */
  recipientTimeZone?: string | null;
  message: string;
  priority: "low" | "normal" | "high";
  /** What the alert is about: an order, or (an account alert) an account. */
  order?: {
    id: number;
    storeName: string;
    productSummary: string;
    quantity: number | null;
    stage: StageKey;
    state: OrderState;
    stageDueAt: Date;
    requiredDeliveryDate: string | null;
  };
  account?: { id: number; name: string; email: string };
  appUrl: string;
};

const priorityLabel = { low: "Low priority", normal: "Normal priority", high: "High priority" } as const;

export const orderUrl = (appUrl: string, orderId: number) => `${appUrl.replace(/\/$/, "")}/orders/${orderId}`;
export const accountUrl = (appUrl: string, accountId: number) => `${appUrl.replace(/\/$/, "")}/admin/users/${accountId}`;

export function notificationSubject(data: Pick<NotificationEmailData, "priority" | "message"> & { orderId?: number }) {
  return `[${priorityLabel[data.priority]}] ${data.orderId ? formatOrderNumber(data.orderId) : "Sign-in"}: ${data.message}`;
}

/** What the email names and links to: the order, or the account of an account alert. */
function subjectOf(data: NotificationEmailData) {
  if (data.order) {
    const number = formatOrderNumber(data.order.id);
    return { title: `Order ${number}`, preview: `${number}: ${data.message}`, url: orderUrl(data.appUrl, data.order.id), button: `Open order ${number}`, rows: summaryRows(data.order, data.recipientTimeZone ?? "UTC") };
  }
  const account = data.account ?? { id: 0, name: "", email: "" };
  return { title: "Sign-in alert", preview: data.message, url: accountUrl(data.appUrl, account.id), button: "Open the account", rows: [["Account", `${account.name} (${account.email})`]] as [string, string][] };
}

const styles = {
  body: { backgroundColor: "#f1f5f9", fontFamily: "-apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif", margin: 0, padding: "24px 0" },
  container: { backgroundColor: "#ffffff", border: "1px solid #e2e8f0", borderRadius: "8px", margin: "0 auto", maxWidth: "560px", padding: "24px" },
  badge: (high: boolean) => ({
    backgroundColor: high ? "#ffe4e6" : "#e0e7ff",
    borderRadius: "999px",
    color: high ? "#9f1239" : "#3730a3",
    display: "inline-block",
    fontSize: "12px",
    fontWeight: 600,
    margin: 0,
    padding: "2px 10px",
  }),
  heading: { color: "#0f172a", fontSize: "20px", margin: "12px 0 4px" },
  message: { color: "#0f172a", fontSize: "16px", lineHeight: "24px", margin: "8px 0 16px" },
  label: { color: "#64748b", fontSize: "12px", margin: "0", textTransform: "uppercase" as const, letterSpacing: "0.04em" },
  value: { color: "#0f172a", fontSize: "14px", margin: "0 0 10px" },
  button: { backgroundColor: "#4f46e5", borderRadius: "6px", color: "#ffffff", fontSize: "14px", fontWeight: 600, padding: "10px 18px", textDecoration: "none" },
  footer: { color: "#64748b", fontSize: "12px", lineHeight: "18px" },
};

/** The order summary both versions of the email show. */
function summaryRows(order: NonNullable<NotificationEmailData["order"]>, zone = "UTC"): [string, string][] {
  const s = stage(order.stage);
  return [
    ["Store", order.storeName],
    ["Product", `${order.productSummary || "—"}${order.quantity ? ` × ${order.quantity}` : ""}`],
    ["Stage", order.state === "active" ? `${s.number}. ${s.name} (due ${formatDateTime(order.stageDueAt, zone)})` : `${s.number}. ${s.name} — ${orderStateLabels[order.state]}`],
    ["Deliver by", order.requiredDeliveryDate ? formatDate(order.requiredDeliveryDate) : "—"],
  ];
}

export function NotificationEmail(data: NotificationEmailData) {
  const { title, preview, url, button, rows } = subjectOf(data);
  return (
    <Html lang="en">
      <Head />
      <Preview>{preview}</Preview>
      <Body style={styles.body}>
        <Container style={styles.container}>
          <Text style={styles.badge(data.priority === "high")}>{priorityLabel[data.priority]}</Text>
          <Heading as="h1" style={styles.heading}>
            {title}
          </Heading>
          <Text style={styles.message}>{data.message}</Text>
          <Section>
            {rows.map(([label, value]) => (
              <div key={label}>
                <Text style={styles.label}>{label}</Text>
                <Text style={styles.value}>{value}</Text>
              </div>
            ))}
          </Section>
          <Section style={{ margin: "20px 0" }}>
            <Button href={url} style={styles.button}>
              {button}
            </Button>
          </Section>
          <Hr style={{ borderColor: "#e2e8f0" }} />
          <Text style={styles.footer}>
            Hello {data.recipientName}, you receive this because of your role in Makeline. If the button does not work, open {url}
          </Text>
        </Container>
      </Body>
    </Html>
  );
}

/** The plain-text part, written out rather than converted from the HTML (which costs ~25 ms an email). */
export function notificationText(data: NotificationEmailData) {
  const { title, url, button, rows } = subjectOf(data);
  return [
    `${priorityLabel[data.priority]} · ${title}`,
    "",
    data.message,
    "",
    ...rows.map(([label, value]) => `${label}: ${value}`),
    "",
    `${button}: ${url}`,
    "",
    `Hello ${data.recipientName}, you receive this because of your role in Makeline.`,
  ].join("\n");
}

export async function renderNotificationEmail(data: NotificationEmailData) {
  const html = await render(<NotificationEmail {...data} />);
  return { subject: notificationSubject({ priority: data.priority, message: data.message, orderId: data.order?.id }), html, text: notificationText(data) };
}
