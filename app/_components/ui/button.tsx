import type { ButtonHTMLAttributes } from "react";

const variants = {
  primary: "bg-brand text-white hover:bg-brand-dark disabled:bg-slate-300",
  secondary: "border border-slate-300 bg-white text-slate-700 hover:border-brand hover:text-brand disabled:text-slate-400",
  danger: "bg-red-600 text-white hover:bg-red-700 disabled:bg-slate-300",
  link: "text-brand hover:underline disabled:text-slate-400 px-0 py-0",
} as const;

/** A button in one of the console's variants (default primary). */
export function Button({ variant = "primary", className = "", type = "button", ...props }: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: keyof typeof variants }) {
  const size = variant === "link" ? "" : "px-3 py-1.5 rounded";
  return <button type={type} className={`${size} text-sm font-medium disabled:cursor-not-allowed ${variants[variant]} ${className}`} {...props} />;
}
