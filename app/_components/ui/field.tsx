import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";

const control = "w-full rounded border border-slate-300 bg-white px-2 py-1.5 text-sm focus:border-brand focus:outline-none disabled:bg-slate-100";

/** A labelled form row: label on the left, control and hint/error below it. */
export function Field({ label, htmlFor, hint, error, children, required }: { label: string; htmlFor?: string; hint?: ReactNode; error?: string | null; children: ReactNode; required?: boolean }) {
  return (
    <div className="grid grid-cols-[11rem_1fr] items-start gap-3 py-2">
      <label htmlFor={htmlFor} className="pt-1.5 text-right text-slate-600">
        {required && (
          <span aria-hidden className="mr-0.5 text-red-600">
            *
          </span>
        )}
        {label}
      </label>
      <div className="max-w-xl">
        {children}
        {hint && !error && <p className="mt-1 text-xs text-slate-500">{hint}</p>}
        {error && (
          <p role="alert" className="mt-1 text-xs text-red-600">
            {error}
          </p>
        )}
      </div>
    </div>
  );
}

/** Text input. */
export function Input(props: InputHTMLAttributes<HTMLInputElement>) {
  return <input {...props} className={`${control} ${props.className ?? ""}`} />;
}

/** Select. */
export function Select(props: SelectHTMLAttributes<HTMLSelectElement>) {
  return <select {...props} className={`${control} ${props.className ?? ""}`} />;
}

/** Multi-line text. */
export function Textarea(props: TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return <textarea rows={3} {...props} className={`${control} ${props.className ?? ""}`} />;
}

/** Segmented radio choice ("Public network" / "Private network"). */
export function Segmented<T extends string>({ name, value, options, onChange }: { name: string; value: T; options: { value: T; label: string }[]; onChange: (value: T) => void }) {
  return (
    <div role="radiogroup" aria-label={name} className="inline-flex overflow-hidden rounded border border-slate-300">
      {options.map((option) => (
        <label key={option.value} className={`cursor-pointer px-3 py-1.5 ${value === option.value ? "bg-brand text-white" : "bg-white hover:text-brand"}`}>
          <input type="radio" name={name} value={option.value} checked={value === option.value} onChange={() => onChange(option.value)} className="sr-only" />
          {option.label}
        </label>
      ))}
    </div>
  );
}
