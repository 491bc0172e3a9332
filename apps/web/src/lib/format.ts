export function formatMoney(
  amount: string | null | undefined,
  currency: string | null | undefined,
) {
  if (amount == null || amount === "") return "—";
  const n = Number(amount);
  const text = Number.isFinite(n)
    ? n.toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 })
    : amount;
  return currency ? `${text} ${currency}` : text;
}

export function formatDateTime(value: Date | string | null | undefined) {
  if (!value) return "—";
  const date = value instanceof Date ? value : new Date(value);
  return date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

export function percent(rate: number | null | undefined) {
  return rate == null ? "no data" : `${(rate * 100).toFixed(1)}%`;
}

/** True when a key press is typing into a control, so single-key shortcuts stay out of the way. */
export function isTyping(event: KeyboardEvent) {
  const target = event.target as HTMLElement | null;
  if (!target) return false;
  const tag = target.tagName;
  return (
    tag === "INPUT" ||
    tag === "TEXTAREA" ||
    tag === "SELECT" ||
    target.isContentEditable ||
    event.ctrlKey ||
    event.metaKey
  );
}
