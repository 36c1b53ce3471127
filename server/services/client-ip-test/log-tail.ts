/** The most recent lines of a process's output, bounded in lines and characters (a test engine's stderr). */
export class LogTail {
  private text = "";

  constructor(
    private readonly maxLines = 20,
    private readonly maxChars = 4000,
  ) {}

  /** Appends output; older text beyond the bound is dropped. */
  push(chunk: Buffer | string): void {
    this.text = (this.text + chunk.toString()).slice(-this.maxChars);
  }

  /** The last lines, without the engine's "[engine <pid>] " prefix, empty lines left out. */
  lines(): string[] {
    return this.text
      .split("\n")
      .map((line) => line.replace(/^\[engine \d+\] /, "").trimEnd())
      .filter((line) => line !== "")
      .slice(-this.maxLines);
  }

  /** `message`, followed by ": " and the last lines joined by " | " when there are any. */
  withTail(message: string): string {
    const tail = this.lines().slice(-5);
    return tail.length ? `${message}: ${tail.join(" | ")}` : message;
  }
}
