import "server-only";

/** What a mutation's context carries so the audit middleware learns the input the resolver got. */
export interface ParsedInputSink {
  captureParsedInput?: (input: unknown) => void;
}

function isProcedureBuilder(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && "_def" in value && typeof (value as { mutation?: unknown }).mutation === "function";
}

/**
 * Wraps a procedure builder so every mutation built from it (through `.meta()`, `.input()`, `.use()` …)
 * hands its PARSED input to `ctx.captureParsedInput` just before the resolver runs. Middlewares placed
 * before `.input()` never see the parsed input otherwise; this lets the audit middleware trace exactly
 * what the service received. The type is unchanged.
 */
export function captureParsedInput<B extends object>(builder: B): B {
  return new Proxy(builder, {
    get(target, property, receiver) {
      const member = Reflect.get(target, property, receiver) as unknown;
      if (typeof member !== "function") return member;
      if (property === "mutation") {
        return (resolver: (opts: { ctx: ParsedInputSink; input: unknown }) => unknown) =>
          member.call(target, (opts: { ctx: ParsedInputSink; input: unknown }) => {
            opts.ctx.captureParsedInput?.(opts.input);
            return resolver(opts);
          });
      }
      return (...args: unknown[]) => {
        const result = member.apply(target, args) as unknown;
        return isProcedureBuilder(result) ? captureParsedInput(result) : result;
      };
    },
  });
}
