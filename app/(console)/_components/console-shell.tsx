"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useState } from "react";
import type { SessionUser } from "@/server/auth/sessions";
import { ScopeSelector } from "./scope-selector";
import { ChangePasswordDialog } from "./change-password-dialog";

const navigation = [
  { href: "/load-balancers", label: "Load Balancers" },
  { href: "/certificates", label: "Certificates" },
  { href: "/monitoring", label: "Monitoring" },
  { href: "/alarm-rules", label: "Alarm Rules" },
  { href: "/log-management", label: "Log Management" },
  { href: "/traces", label: "Cloud Trace Service" },
  { href: "/settings", label: "Settings" },
];

/** Top bar (service name, region/project selector, user menu) and the left navigation. */
export function ConsoleShell({ user, children }: { user: SessionUser; children: React.ReactNode }) {
  const pathname = usePathname();
  const [changingPassword, setChangingPassword] = useState(false);
  const [passwordChanged, setPasswordChanged] = useState(false);
  const logOut = async () => {
    await fetch("/api/auth/logout", { method: "POST" });
    window.location.href = "/login";
  };
  return (
    <div className="flex min-h-full flex-col">
      <header className="flex h-12 items-center justify-between bg-shell px-4 text-white">
        <div className="flex items-center gap-4">
          <Link href="/load-balancers" className="font-semibold tracking-wide">
            Elastic Load Balance
          </Link>
          <ScopeSelector />
        </div>
        <div className="flex items-center gap-3 text-sm">
          <span data-testid="current-user">
            {user.username} <span className="text-slate-400">({user.role === "admin" ? "Administrator" : "Read-only"})</span>
          </span>
          {passwordChanged && (
            <span role="status" className="text-xs text-emerald-300">
              Password changed
            </span>
          )}
          <button className="rounded px-2 py-1 text-slate-200 ring-1 ring-slate-500 hover:bg-slate-700" onClick={() => setChangingPassword(true)}>
            Change Password
          </button>
          <button className="rounded px-2 py-1 text-slate-200 ring-1 ring-slate-500 hover:bg-slate-700" onClick={logOut}>
            Log Out
          </button>
        </div>
      </header>
      {changingPassword && (
        <ChangePasswordDialog
          onClose={() => setChangingPassword(false)}
          onChanged={() => {
            setChangingPassword(false);
            setPasswordChanged(true);
          }}
        />
      )}
      <div className="flex flex-1">
        <nav aria-label="Service navigation" className="w-52 shrink-0 border-r border-slate-200 bg-white py-3">
          {navigation.map((item) => {
            const active = pathname === item.href || pathname.startsWith(item.href + "/");
            return (
              <Link key={item.href} href={item.href} className={`block px-5 py-2 ${active ? "border-l-2 border-brand bg-blue-50 font-medium text-brand" : "border-l-2 border-transparent hover:text-brand"}`}>
                {item.label}
              </Link>
            );
          })}
        </nav>
        <main className="min-w-0 flex-1 p-6">{children}</main>
      </div>
    </div>
  );
}
