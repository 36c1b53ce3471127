"use client";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/app/_components/ui/button";
import { Dialog } from "@/app/_components/ui/dialog";
import { errorMessage } from "@/app/_lib/format";
import { useTRPC } from "@/app/_lib/trpc/react";
import type { ListenerView } from "@/server/services/listener/listener-view";
import { ClientIpTesterResult } from "./client-ip-tester-result";

/**
 * Test Client IP (listener page, Basic Information): one click runs the listener's settings in a test
 * engine in front of a built-in echo target and shows what a backend server would see of the client.
 * The test changes no configuration; it is a traced mutation ("test listener client IP": it starts a
 * process, so who ran it is kept, and a cross-site link cannot start it as it could a GET query).
 */
export function ClientIpTester({ listener }: { listener: Pick<ListenerView, "id" | "name" | "protocol" | "port"> }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const test = useMutation(trpc.clientIpTest.run.mutationOptions());
  const runTest = () => test.mutate({ listenerId: listener.id });
  const start = () => {
    setOpen(true);
    if (!test.isPending) runTest();
  };
  return (
    <>
      <Button variant="secondary" onClick={start}>
        Test Client IP
      </Button>
      <Dialog
        title="Test Client IP"
        open={open}
        wide
        onClose={() => setOpen(false)}
        footer={
          <>
            <Button variant="secondary" disabled={test.isPending} onClick={() => runTest()}>
              Run Again
            </Button>
            <Button onClick={() => setOpen(false)}>Close</Button>
          </>
        }
      >
        <p className="mb-3 text-slate-600">
          Sends a real {listener.protocol === "UDP" ? "datagram" : listener.protocol === "TCP" ? "connection" : "request"} through the settings of listener <strong>{listener.name}</strong> ({listener.protocol}/
          {listener.port}) to a built-in echo target, and shows exactly what a backend server receives.
        </p>
        {test.isPending && <p role="status">Testing… (at most about 10 seconds)</p>}
        {test.error && !test.isPending && (
          <p role="alert" className="rounded bg-red-50 px-3 py-2 text-red-800 ring-1 ring-red-200">
            {errorMessage(test.error)}
          </p>
        )}
        {test.data && !test.isPending && <ClientIpTesterResult result={test.data} />}
      </Dialog>
    </>
  );
}
