/**
 * Making user text safe to print. Specs and templates are written by users (or attackers): a value may
 * hold ESC sequences that recolour a terminal, a carriage return or newline that forges a report line, a
 * NUL or other character XML 1.0 forbids, or 50 MB of text. Every formatter passes user text through here.
 */
import { clip, ECHO_MAX_LENGTH } from '../model/limits';

/** Longest echoed value, in characters: the one limit of lib/model/limits.ts. */
export const MAX_ECHO_CHARS = ECHO_MAX_LENGTH;

/** Cuts `s` to `max` characters with an ellipsis and the original length (`clip` of lib/model/limits.ts). */
export function truncate(s: string, max = MAX_ECHO_CHARS): string {
  return clip(s, max);
}

// C0 and C1 controls, DEL, and the Unicode bidirectional overrides and isolates (Trojan Source).
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\x1b': '\\e', '\0': '\\0' };

/** Replaces control characters with visible escapes (`\n`, `\e`, `\x07`, `\u202e`), so one finding is one line. */
export function escapeControl(s: string): string {
  return s.replace(CONTROL, (c) => NAMED[c] ?? (c.charCodeAt(0) < 0x100
    ? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`
    : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/** A user value for a one-line message: truncated, then escaped. */
export function echo(value: unknown, max = MAX_ECHO_CHARS): string {
  let s: string;
  if (typeof value === 'string') s = value;
  else if (typeof value === 'bigint') s = `${value}n`;
  else {
    try {
      s = JSON.stringify(value) ?? String(value);
    } catch {
      s = Object.prototype.toString.call(value);
    }
  }
  return escapeControl(truncate(s, max));
}

// Characters XML 1.0 does not allow anywhere (https://www.w3.org/TR/xml/#charsets), including lone surrogates.
const XML_ILLEGAL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Escapes text for an XML attribute or element and drops characters XML 1.0 forbids. */
export function xmlText(s: string): string {
  return s.replace(XML_ILLEGAL, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
    // Keep line breaks and tabs in attributes as written (an attribute value normalises raw ones to spaces).
    .replace(/\r/g, '&#13;');
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * A relative file path as a URI reference (SARIF `artifactLocation.uri`, RFC 3986): separators become
 * `/`, and every byte outside the unreserved set and `/` is percent-encoded.
 */
export function pathToUri(path: string): string {
  const forward = path.split('\\').join('/').replace(LONE_SURROGATE, '\ufffd');
  return forward.split('/').map((seg) => encodeURIComponent(seg).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)).join('/');
}
