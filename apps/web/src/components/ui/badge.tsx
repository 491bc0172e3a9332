import type { HTMLAttributes } from "react";

type Tone = "warn" | "quiet" | "locked";

/** A short label beside a row or a heading: "Locked", "Possible duplicate", "2 warnings". */
export function Badge({
  tone,
  className,
  ...props
}: HTMLAttributes<HTMLSpanElement> & { tone?: Tone | undefined }) {
  const classes = ["badge", tone ? `badge-${tone}` : null, className].filter(Boolean).join(" ");
  return <span className={classes} {...props} />;
}
