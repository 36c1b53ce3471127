"use client";
import { useState } from "react";
import { Button } from "@/app/_components/ui/button";

/** User name + password form posting to /api/auth/login. */
export function LoginForm() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: React.FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    const response = await fetch("/api/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: form.get("username"), password: form.get("password") }),
    });
    setBusy(false);
    if (response.ok) window.location.href = "/load-balancers";
    else setError(((await response.json().catch(() => ({}))) as { error?: string }).error ?? "Login failed");
  };
  return (
    <form onSubmit={submit} className="w-80 rounded bg-white p-6 shadow-xl">
      <h1 className="mb-1 text-lg font-semibold">Elastic Load Balance</h1>
      <p className="mb-5 text-xs text-slate-500">Log in to the management console</p>
      <label className="mb-1 block text-slate-600" htmlFor="username">
        User Name
      </label>
      <input id="username" name="username" autoComplete="username" className="mb-3 w-full rounded border border-slate-300 px-2 py-1.5" />
      <label className="mb-1 block text-slate-600" htmlFor="password">
        Password
      </label>
      <input id="password" name="password" type="password" autoComplete="current-password" className="mb-4 w-full rounded border border-slate-300 px-2 py-1.5" />
      {error && (
        <p role="alert" className="mb-3 text-xs text-red-600">
          {error}
        </p>
      )}
      <Button type="submit" className="w-full" disabled={busy}>
        {busy ? "Logging in…" : "Log In"}
      </Button>
    </form>
  );
}
