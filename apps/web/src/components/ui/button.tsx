import type { ButtonHTMLAttributes } from "react";

type Variant = "primary" | "link" | "danger" | "danger-quiet";

interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: Variant | undefined;
}

/**
 * A <button> that is `type="button"` unless told otherwise, so one inside a form never submits
 * it by accident; the variant is the class styles.css draws it with.
 */
export function Button({ variant, type = "button", className, ...props }: ButtonProps) {
  const classes = [variant, className].filter(Boolean).join(" ");
  return <button type={type} className={classes || undefined} {...props} />;
}
