import { AppError } from "../../errors";
import { looksBinary } from "./binary-pem";

/**
 * The row rules of guide 6.1 for PEM text (certificates and private keys): blocks that start with
 * `-----BEGIN <label>-----` and end with `-----END <label>-----`, base64 rows of 64 characters except the
 * last row of a block (1 to 64: openssl sometimes writes a full last row), no empty rows. Tolerated: CRLF
 * line ends, spaces or tabs at the end of a row, and one trailing newline. RFC 1421 header rows
 * ("Proc-Type: 4,ENCRYPTED") and the empty row after them are read, so the caller can say "encrypted".
 */

/** One PEM block as read. */
export interface PemBlock {
  /** "CERTIFICATE", "PRIVATE KEY", "RSA PRIVATE KEY", … */
  label: string;
  /** Header rows ("Proc-Type: 4,ENCRYPTED"), usually none. */
  headers: string[];
  /** The block re-assembled with LF line ends, ending with "\n" (what is stored and parsed). */
  text: string;
  /** Row number (1-based) of its BEGIN row, for messages. */
  beginRow: number;
}

/** How a field's messages talk: its label, the block it expects first, and what binary data means for it. */
export interface PemField {
  /** The input field ("content", "privateKey"). */
  field: string;
  /** Its label ("Certificate Content"). */
  label: string;
  /** The first row expected, e.g. "-----BEGIN CERTIFICATE-----". */
  expectedBegin: string;
  /** The message for binary (DER, PFX) data pasted or uploaded. */
  binaryMessage: string;
}

const MAX_ROW = 64;
const BEGIN = /^-----BEGIN ([A-Z0-9 ]{1,40})-----$/;
const END = /^-----END ([A-Z0-9 ]{1,40})-----$/;
const BASE64_ROW = /^[A-Za-z0-9+/=]+$/;
const HEADER_ROW = /^[A-Za-z][A-Za-z0-9-]*: ?\S/;

/** Reads the PEM blocks of `text` by the row rules above; throws AppError("BAD_REQUEST") naming the field and row. */
export function readPemBlocks(text: string, spec: PemField): PemBlock[] {
  const fail = (message: string): never => {
    throw new AppError("BAD_REQUEST", `${spec.label}: ${message}`, spec.field);
  };
  if (looksBinary(text)) fail(spec.binaryMessage);
  let normalized = text.replace(/\r\n?/g, "\n");
  if (normalized.endsWith("\n")) normalized = normalized.slice(0, -1);
  const rows = normalized.split("\n").map((row) => row.replace(/[ \t]+$/, ""));
  const blocks: PemBlock[] = [];
  let current: { label: string; headers: string[]; body: string[]; beginRow: number; afterHeaders: boolean } | null = null;
  rows.forEach((row, index) => {
    const n = index + 1;
    if (!current) {
      const begin = BEGIN.exec(row);
      if (begin) current = { label: begin[1]!, headers: [], body: [], beginRow: n, afterHeaders: false };
      else if (row === "") fail(`row ${n} is empty; remove empty rows`);
      else if (blocks.length === 0) fail(`must start with ${spec.expectedBegin}`);
      else fail(`row ${n} must be the BEGIN row of the next block (${spec.expectedBegin}) after the END row of block ${blocks.length}`);
      return;
    }
    const block = current;
    const end = END.exec(row);
    if (end) {
      if (end[1] !== block.label) fail(`row ${n}: -----END ${end[1]}----- does not close -----BEGIN ${block.label}----- of row ${block.beginRow}`);
      if (block.body.length === 0) fail(`the block starting at row ${block.beginRow} has no content rows`);
      const headerText = block.headers.length > 0 ? `${block.headers.join("\n")}\n\n` : "";
      blocks.push({ label: block.label, headers: block.headers, text: `-----BEGIN ${block.label}-----\n${headerText}${block.body.join("\n")}\n-----END ${block.label}-----\n`, beginRow: block.beginRow });
      current = null;
      return;
    }
    if (block.body.length === 0 && HEADER_ROW.test(row) && !BASE64_ROW.test(row)) {
      block.headers.push(row);
      return;
    }
    if (row === "") {
      // RFC 1421: one empty row separates header rows from the content.
      if (block.headers.length > 0 && block.body.length === 0 && !block.afterHeaders) {
        block.afterHeaders = true;
        return;
      }
      fail(`row ${n} is empty; remove empty rows`);
    }
    if (BEGIN.test(row)) fail(`row ${n} starts a new block before -----END ${block.label}----- closes the one of row ${block.beginRow}`);
    if (!BASE64_ROW.test(row)) fail(`row ${n} contains characters that are not base64 (A–Z, a–z, 0–9, +, /, =)`);
    if (row.length > MAX_ROW) fail(`row ${n} has ${row.length} characters; each row must have 64 characters (the last row of a block 1 to 64)`);
    const previous = block.body.at(-1);
    if (previous !== undefined && previous.length < MAX_ROW)
      fail(`row ${n - 1} has ${previous.length} characters; each row must have 64 characters except the last row of a block`);
    block.body.push(row);
  });
  if (current) fail(`must end with -----END ${(current as { label: string }).label}----- (the block starting at row ${(current as { beginRow: number }).beginRow} is not closed)`);
  if (blocks.length === 0) fail(`must start with ${spec.expectedBegin}`);
  return blocks;
}
