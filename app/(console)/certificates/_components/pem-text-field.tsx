"use client";
import { useRef, useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { Field, Textarea } from "@/app/_components/ui/field";
import { looksBinary } from "@/server/services/certificate/binary-pem";

/**
 * A PEM text area with an Upload button (guide 6.3: paste, or click Upload and select the file). The file
 * is read as text in the browser; a binary file (DER, PFX) is not put in the field: `binaryMessage` says
 * how to convert it (guide 6.2), as the server would.
 */
export function PemTextField({
  id,
  label,
  value,
  onChange,
  error,
  required,
  hint,
  placeholder,
  binaryMessage,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (text: string) => void;
  error: string | null;
  required?: boolean;
  hint?: string;
  placeholder: string;
  /** Shown when the uploaded file is binary, after "<label>: ". */
  binaryMessage: string;
}) {
  const fileInput = useRef<HTMLInputElement>(null);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const upload = async (file: File | undefined) => {
    if (!file) return;
    const text = new TextDecoder("utf-8").decode(await file.arrayBuffer());
    if (looksBinary(text)) return setUploadError(`${label}: ${binaryMessage}`);
    setUploadError(null);
    onChange(text);
  };
  return (
    <Field label={label} htmlFor={id} required={required} error={uploadError ?? error} hint={hint}>
      <Textarea id={id} rows={8} spellCheck={false} className="font-mono text-xs" value={value} placeholder={placeholder} onChange={(e) => onChange(e.target.value)} />
      <div className="mt-1">
        <Button variant="secondary" aria-label={`Upload ${label}`} onClick={() => fileInput.current?.click()}>
          Upload
        </Button>
        <input
          ref={fileInput}
          type="file"
          className="sr-only"
          tabIndex={-1}
          aria-label={`${label} file`}
          accept=".pem,.crt,.cer,.key,.txt"
          onChange={(e) => {
            void upload(e.target.files?.[0]);
            e.target.value = "";
          }}
        />
      </div>
    </Field>
  );
}
